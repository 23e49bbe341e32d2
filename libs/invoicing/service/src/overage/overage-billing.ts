import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  MESSAGE_BUS,
  READ_STORE,
  type JsonObject,
  type MessageBus,
  type ReadStore,
} from '@burndown/ports';
import {
  NO_OVERAGE_COUNTERS,
  formatInvoiceNumber,
  overageMonthOf,
  settlePeriodOverage,
  type BillingPeriod,
  type OverageSettlement,
  type OveragePricing,
  type PlanDefinition,
} from '@burndown/invoicing-domain';
import { creditsText } from '@burndown/money';
import { askWallet } from '../ask-wallet';
import { Invoices } from '../invoices/invoices';
import { REVENUE_WALLETS } from '../revenue/revenue-documents';
import { overageOfDocument } from './overage-booked';

/** Per subscription period, id = `<subscriptionId>.p<n>`: how its overage was settled. */
export const OVERAGE_SETTLEMENTS = 'overage_settlements';

export const overageInvoiceId = (subscriptionId: string, period: number): string =>
  `${subscriptionId}.p${period}.overage`;

const settlementKey = (subscriptionId: string, period: number): string =>
  `${subscriptionId}.p${period}`;

/**
 * At the end of a billing period, the overage the customer's wallet booked since the last
 * settlement: invoiced at the plan's price (a finalized invoice `<subscriptionId>.p<n>.overage`)
 * and, like what the plan writes off, settled on the wallet so its balance no longer carries it.
 * The figures are fixed once, in a document per period, before any step: a retry (a tick that
 * runs twice, a restart, a bus that timed out) repeats the same steps with the same ids. The
 * counters come from the revenue projection, so overage it has not applied yet when the period
 * ends is settled with the next period.
 */
@Injectable()
export class OverageBilling implements OnApplicationBootstrap {
  private readonly logger = new Logger(OverageBilling.name);

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly invoices: Invoices,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The revenue report reads one customer's settlements, the journal one month's.
    await this.readStore.declareIndexes(OVERAGE_SETTLEMENTS, [['customerId'], ['month']]);
  }

  async settle(
    subscriptionId: string,
    customerId: string,
    plan: PlanDefinition,
    period: BillingPeriod,
    now: Date,
  ): Promise<void> {
    if (plan.overage === null) return;
    const key = settlementKey(subscriptionId, period.index);
    const stored = await this.readStore.get(OVERAGE_SETTLEMENTS, key);
    // Done once: a wallet forgets a command id after its dedupe horizon, so an old period's
    // settlement must not reach it again (a restart walks every ended period).
    if (stored?.document['settledOnWallet'] === true) return;
    const settlement = await this.settlementOf(
      subscriptionId,
      customerId,
      plan.currency,
      plan.overage,
      period,
    );
    if (settlement.invoicedCredits > 0n) {
      const invoiceId = overageInvoiceId(subscriptionId, period.index);
      const number = await this.invoice(subscriptionId, customerId, plan, period, settlement, now);
      await this.settleOnWallet(customerId, {
        commandId: `overage:${invoiceId}`,
        settlementId: invoiceId,
        amount: settlement.invoicedCredits,
        outcome: 'invoiced',
        reference: formatInvoiceNumber(number),
      });
    }
    if (settlement.writtenOffCredits > 0n)
      await this.settleOnWallet(customerId, {
        commandId: `overage-write-off:${key}`,
        settlementId: `${key}.written-off`,
        amount: settlement.writtenOffCredits,
        outcome: 'written-off',
        reference: `plan ${plan.planId}: uncovered usage or less than one minor unit`,
      });
    await this.readStore.apply({
      writes: [
        {
          collection: OVERAGE_SETTLEMENTS,
          id: key,
          version: 2n,
          document: {
            ...settlementRecord(subscriptionId, customerId, plan.currency, period, settlement),
            settledOnWallet: true,
          },
        },
      ],
    });
  }

  /** The period's settlement as first stored, computing and storing it if none is. */
  private async settlementOf(
    subscriptionId: string,
    customerId: string,
    currency: string,
    pricing: OveragePricing,
    period: BillingPeriod,
  ): Promise<OverageSettlement> {
    const key = settlementKey(subscriptionId, period.index);
    const stored = await this.stored(key);
    if (stored !== undefined) return stored;
    // The period before, if it was settled (a plan without overage pricing settles nothing).
    const from =
      period.index === 0
        ? NO_OVERAGE_COUNTERS
        : ((await this.stored(settlementKey(subscriptionId, period.index - 1)))?.through ??
          NO_OVERAGE_COUNTERS);
    const wallet = await this.readStore.get(REVENUE_WALLETS, customerId);
    const counters = overageOfDocument(wallet?.document ?? {});
    const settlement = settlePeriodOverage(pricing, counters, from);
    // Version 1 only: a second writer's copy is dropped, and both go on with the first.
    await this.readStore.apply({
      writes: [
        {
          collection: OVERAGE_SETTLEMENTS,
          id: key,
          version: 1n,
          document: settlementRecord(subscriptionId, customerId, currency, period, settlement),
        },
      ],
    });
    return (await this.stored(key)) ?? settlement;
  }

  private async stored(key: string): Promise<OverageSettlement | undefined> {
    const found = await this.readStore.get(OVERAGE_SETTLEMENTS, key);
    return found === undefined ? undefined : settlementOfDocument(found.document);
  }

  /** Drafted and finalized once; the invoice number it got. */
  private async invoice(
    subscriptionId: string,
    customerId: string,
    plan: PlanDefinition,
    period: BillingPeriod,
    settlement: OverageSettlement,
    now: Date,
  ): Promise<number> {
    const invoiceId = overageInvoiceId(subscriptionId, period.index);
    const invoice = await this.invoices.issue(invoiceId, {
      at: now,
      customerId,
      currency: plan.currency,
      source: { type: 'subscription-overage', subscriptionId, period: period.index },
      taxRate: null,
      lines: [
        {
          lineId: 'overage',
          description: `Overage, ${creditsText(settlement.invoicedCredits)} credits, ${period.start.toISOString()} to ${period.end.toISOString()}`,
          quantity: 1n,
          unitPrice: settlement.amount,
          credits: 0n,
        },
      ],
    });
    if (invoice.status === 'none' || invoice.number === null)
      throw new Error(`overage invoice ${invoiceId} has no number`);
    return invoice.number;
  }

  private async settleOnWallet(
    walletId: string,
    command: {
      readonly commandId: string;
      readonly settlementId: string;
      readonly amount: bigint;
      readonly outcome: 'invoiced' | 'written-off';
      readonly reference: string;
    },
  ): Promise<void> {
    const reply = await askWallet(this.bus, walletId, {
      type: 'SettleOverage',
      ...command,
      amount: command.amount.toString(),
    });
    if (reply.ok) return;
    // Settled some other way meanwhile: what this period computed is no longer owed.
    if (reply.code === 'invalid-amount') {
      this.logger.warn(
        `wallet ${walletId} owes less than ${command.settlementId} settles: ${reply.detail ?? ''}`,
      );
      return;
    }
    throw new Error(
      `wallet ${walletId} refused ${command.settlementId}: ${reply.code} ${reply.detail ?? ''}`,
    );
  }
}

const settlementRecord = (
  subscriptionId: string,
  customerId: string,
  currency: string,
  period: BillingPeriod,
  settlement: OverageSettlement,
): JsonObject => ({
  subscriptionId,
  customerId,
  currency,
  period: period.index,
  periodEnd: period.end.toISOString(),
  // The month the journal and the revenue report book it in.
  month: overageMonthOf({ periodEnd: period.end }),
  settledOnWallet: false,
  bookedThrough: settlement.through.booked.toString(),
  uncoveredThrough: settlement.through.uncovered.toString(),
  invoicedCredits: settlement.invoicedCredits.toString(),
  writtenOffCredits: settlement.writtenOffCredits.toString(),
  amount: settlement.amount.toString(),
});

function settlementOfDocument(document: JsonObject): OverageSettlement {
  const amount = (field: string): bigint => {
    const value = document[field];
    if (typeof value !== 'string' || !/^\d+$/.test(value))
      throw new Error(`${OVERAGE_SETTLEMENTS}: ${field} unreadable in ${JSON.stringify(document)}`);
    return BigInt(value);
  };
  return {
    through: { booked: amount('bookedThrough'), uncovered: amount('uncoveredThrough') },
    invoicedCredits: amount('invoicedCredits'),
    writtenOffCredits: amount('writtenOffCredits'),
    amount: amount('amount'),
  };
}
