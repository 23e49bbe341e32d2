import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { RequireScopes, Responds, notFound } from '@burndown/http';
import { CLOCK, type Clock } from '@burndown/ports';
import { subscriptionAt } from '@burndown/invoicing-domain';
import { asInvoiceProblem } from '../invoices/invoice-problem';
import { INVOICE } from '../invoices/invoice-responses.schemas';
import { invoiceView } from '../invoices/invoice-view';
import { Invoices } from '../invoices/invoices';
import { PlanCatalogue } from './plan-catalogue';
import { PackPurchaseDto, SubscriptionIdParam } from './plans.dto';
import { Subscriptions } from './subscriptions';

/**
 * Buying one of the packs the subscription's plan sells: a finalized invoice for its price whose
 * payment grants its credits (see PaidInvoiceGrants).
 */
@ApiTags('subscriptions')
@Controller('v1/subscriptions/:subscriptionId/pack-purchases')
export class PackPurchasesController {
  constructor(
    private readonly subscriptions: Subscriptions,
    private readonly catalogue: PlanCatalogue,
    private readonly invoices: Invoices,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScopes('admin')
  @ApiOperation({ summary: "Buy a pack the subscription's plan sells" })
  @Responds(201, INVOICE, "The pack's finalized invoice, whose payment grants its credits")
  buy(@Param() { subscriptionId }: SubscriptionIdParam, @Body() body: PackPurchaseDto) {
    return asInvoiceProblem(async () => {
      const at = this.clock.now();
      const subscription = await this.subscriptions.get(subscriptionId);
      const current = subscriptionAt(subscription, at);
      if (subscription.status !== 'started' || current === undefined)
        throw notFound(`subscription ${subscriptionId} is not active`, 'subscriptionId');
      const plan = (await this.catalogue.history(current.phase.planId)).versions.find(
        (version) => version.version === current.phase.planVersion,
      );
      const pack = plan?.definition.packs.find((candidate) => candidate.packId === body.packId);
      if (plan === undefined || pack === undefined)
        throw notFound(
          `plan ${current.phase.planId} v${current.phase.planVersion} sells no pack ${body.packId}`,
          'packId',
        );
      // A retry with the same Idempotency-Key is answered by the platform's replay.
      const invoiceId = `pack-${body.purchaseId ?? randomUUID()}`;
      await this.invoices.execute(invoiceId, {
        type: 'DraftInvoice',
        commandId: `draft:${invoiceId}`,
        at,
        customerId: subscription.customerId,
        currency: pack.currency,
        source: { type: 'credit-pack', packId: pack.packId },
        taxRate: null,
        lines: [
          {
            lineId: 'pack',
            description: `${plan.definition.name}: pack ${pack.packId}`,
            quantity: 1n,
            unitPrice: pack.price,
            credits: pack.credits,
          },
        ],
      });
      return invoiceView(
        invoiceId,
        await this.invoices.finalize(invoiceId, `finalize:${invoiceId}`, at),
      );
    });
  }
}
