import { Injectable } from '@nestjs/common';
import {
  commitmentShortfall,
  totalsOf,
  type BillingPeriod,
  type PlanDefinition,
} from '@burndown/invoicing-domain';
import { Invoices } from '../invoices/invoices';
import { overageInvoiceId } from '../overage/overage-billing';
import { periodInvoiceId } from './period-invoice-id';

/** The true-up invoice of a subscription's period: named after both, so billing it again finds it. */
export const trueUpInvoiceId = (subscriptionId: string, period: number): string =>
  `${subscriptionId}.p${period}.true-up`;

/**
 * At a period's end, after its overage is settled: what its base fee and overage invoices came to
 * (net of tax; a void one counts nothing) less than the plan's commitment is invoiced as a
 * true-up `<subscriptionId>.p<n>.true-up`, finalized once. Its figure is fixed by the first draft,
 * so a tick repeated after a crash issues the same invoice. Packs bought during the period do not
 * count toward the commitment.
 */
@Injectable()
export class CommitmentTrueUps {
  constructor(private readonly invoices: Invoices) {}

  async trueUp(
    subscriptionId: string,
    customerId: string,
    plan: PlanDefinition,
    period: BillingPeriod,
    now: Date,
  ): Promise<void> {
    if (plan.commitment === null) return;
    const billed = await Promise.all(
      [periodInvoiceId, overageInvoiceId].map((id) =>
        this.invoices.get(id(subscriptionId, period.index)),
      ),
    );
    const billedNet = billed.flatMap((invoice) =>
      invoice.status === 'none' || invoice.status === 'draft' || invoice.status === 'void'
        ? []
        : [totalsOf(invoice.lines).net],
    );
    const shortfall = commitmentShortfall(plan.commitment.minimum, billedNet);
    if (shortfall === 0n) return;
    await this.invoices.issue(trueUpInvoiceId(subscriptionId, period.index), {
      at: now,
      customerId,
      currency: plan.currency,
      source: { type: 'subscription-true-up', subscriptionId, period: period.index },
      taxRate: null,
      lines: [
        {
          lineId: 'true-up',
          description: `Commitment of ${plan.commitment.minimum} (minor units), ${period.start.toISOString()} to ${period.end.toISOString()}: billed ${plan.commitment.minimum - shortfall}`,
          quantity: 1n,
          unitPrice: shortfall,
          credits: 0n,
        },
      ],
    });
  }
}
