import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { IdempotencyKey, RequireScopes, Responds, badRequest, notFound } from '@burndown/http';
import { CLOCK, type Clock } from '@burndown/ports';
import { PlanCatalogue } from './plan-catalogue';
import { asPlanProblem } from './plan-problem';
import { PLAN, PUBLISHED_PLAN_VERSION } from './plan-responses.schemas';
import { planView } from './plan-views';
import { PlanIdParam } from './plans.dto';

/** Plans: versions with a base fee, an allowance, a rate card, features and packs for sale. */
@ApiTags('plans')
@Controller('v1/plans')
export class PlansController {
  constructor(
    private readonly catalogue: PlanCatalogue,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Publishes the next version of the plan (the body is the plan, see the README), in effect
   * from now or from `effectiveFrom`. Subscriptions keep the version they are on.
   */
  @Post(':planId/versions')
  @HttpCode(201)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Publish the next version of a plan' })
  @Responds(201, PUBLISHED_PLAN_VERSION, 'The version published')
  publish(
    @Param() { planId }: PlanIdParam,
    @Body() body: unknown,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return asPlanProblem(async () => {
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw badRequest('body', 'the body must be a plan as a JSON object');
      const { effectiveFrom, ...definition } = body as Record<string, unknown>;
      if (
        effectiveFrom !== undefined &&
        (typeof effectiveFrom !== 'string' || Number.isNaN(Date.parse(effectiveFrom)))
      )
        throw badRequest('effectiveFrom', 'effectiveFrom must be an ISO-8601 time');
      if (definition['planId'] !== undefined && definition['planId'] !== planId)
        throw badRequest('planId', `the plan's planId must be ${planId}, the id in the path`);
      const history = await this.catalogue.publish(planId, {
        type: 'PublishPlanVersion',
        commandId: idempotencyKey ?? randomUUID(),
        at: this.clock.now(),
        definition: { ...definition, planId },
        effectiveFrom: effectiveFrom === undefined ? null : new Date(effectiveFrom as string),
      });
      const published = history.versions.at(-1);
      return {
        planId,
        version: published?.version,
        effectiveFrom: published?.effectiveFrom.toISOString(),
      };
    });
  }

  @Get(':planId')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Get a plan and its versions' })
  @Responds(200, PLAN)
  async get(@Param() { planId }: PlanIdParam) {
    const history = await this.catalogue.history(planId);
    if (history.versions.length === 0) throw notFound(`plan ${planId} does not exist`, 'planId');
    return planView(history);
  }
}
