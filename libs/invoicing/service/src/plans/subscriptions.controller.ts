import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import {
  IdempotencyKey,
  RequireScopes,
  Responds,
  notFound,
  ChecksCustomer,
  CurrentPrincipal,
  reaches,
  type ApiPrincipal,
} from '@burndown/http';
import { CLOCK, type Clock } from '@burndown/ports';
import type { SubscriptionCommand, SubscriptionState } from '@burndown/invoicing-domain';
import { PlanCatalogue } from './plan-catalogue';
import { asPlanProblem } from './plan-problem';
import { SUBSCRIPTION } from './plan-responses.schemas';
import { subscriptionView } from './plan-views';
import {
  CancelSubscriptionDto,
  ChangePlanDto,
  StartSubscriptionDto,
  SubscriptionIdParam,
} from './plans.dto';
import { Subscriptions } from './subscriptions';

/**
 * Subscriptions to a plan: periods in UTC anchored on the start; a plan change takes effect at
 * the next period (nothing prorated); cancelling ends at the period's end, or now.
 */
@ApiTags('subscriptions')
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly subscriptions: Subscriptions,
    private readonly catalogue: PlanCatalogue,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Subscribe a customer to a plan' })
  @Responds(201, SUBSCRIPTION, 'The subscription started')
  start(@Body() body: StartSubscriptionDto, @IdempotencyKey() idempotencyKey: string | undefined) {
    const subscriptionId = body.subscriptionId ?? `sub_${randomUUID()}`;
    return this.run(subscriptionId, async (at, commandId) => ({
      type: 'StartSubscription',
      commandId: idempotencyKey ?? commandId,
      at,
      customerId: body.customerId,
      plan: await this.planRef(body.planId, at),
    }));
  }

  @Get(':subscriptionId')
  @RequireScopes('read')
  @ChecksCustomer()
  @ApiOperation({ summary: 'Get where a subscription stands now' })
  @Responds(200, SUBSCRIPTION)
  async get(
    @Param() { subscriptionId }: SubscriptionIdParam,
    @CurrentPrincipal() principal: ApiPrincipal | undefined,
  ) {
    const view = subscriptionView(
      subscriptionId,
      await this.subscriptions.get(subscriptionId),
      this.clock.now(),
    );
    if (view === undefined || !reaches(principal, view.customerId))
      throw notFound(`subscription ${subscriptionId} does not exist`, 'subscriptionId');
    return view;
  }

  /** The plan from the next period on, at the version of that plan in force now. */
  @Post(':subscriptionId/plan-changes')
  @HttpCode(201)
  @RequireScopes('admin')
  @ApiOperation({ summary: "Change a subscription's plan from the next period" })
  @Responds(201, SUBSCRIPTION, 'The subscription with its change scheduled')
  changePlan(
    @Param() { subscriptionId }: SubscriptionIdParam,
    @Body() body: ChangePlanDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.run(subscriptionId, async (at, commandId) => ({
      type: 'ChangeSubscriptionPlan',
      commandId: idempotencyKey ?? commandId,
      at,
      plan: await this.planRef(body.planId, at),
    }));
  }

  @Post(':subscriptionId/cancellation')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({ summary: "Cancel a subscription at its period's end, or now" })
  @Responds(200, SUBSCRIPTION, 'The subscription with its end')
  cancel(
    @Param() { subscriptionId }: SubscriptionIdParam,
    @Body() body: CancelSubscriptionDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.run(subscriptionId, async (at, commandId) => ({
      type: 'CancelSubscription',
      commandId: idempotencyKey ?? commandId,
      at,
      when: body.when ?? 'period-end',
    }));
  }

  private run(
    subscriptionId: string,
    command: (at: Date, commandId: string) => Promise<SubscriptionCommand>,
  ) {
    return asPlanProblem(async () => {
      const at = this.clock.now();
      const state: SubscriptionState = await this.subscriptions.execute(
        subscriptionId,
        await command(at, randomUUID()),
      );
      return subscriptionView(subscriptionId, state, at);
    });
  }

  private async planRef(planId: string, at: Date) {
    const version = await this.catalogue.versionAt(planId, at);
    if (version === undefined) throw notFound(`plan ${planId} has no version in effect`, 'planId');
    return { planId, version: version.version, interval: version.definition.interval };
  }
}
