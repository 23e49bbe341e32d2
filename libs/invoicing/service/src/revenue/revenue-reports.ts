import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_REVENUE_ACCOUNTS,
  deferredWaterfall,
  journalEntries,
  monthOf,
  monthlyRevenue,
  overageByMonth,
  overageJournalEntries,
  type AccountingMonth,
  type OverageSettlementLine,
  type RevenueLine,
} from '@burndown/invoicing-domain';
import {
  CLOCK,
  READ_STORE,
  everyDocument,
  type Clock,
  type FieldValue,
  type JsonObject,
  type ReadStore,
} from '@burndown/ports';
import { BURNDOWN_CONFIG, type BurndownConfig } from '@burndown/runtime';
import { journalCsv } from './journal-csv';
import { REVENUE_LINES, lineOfDocument } from './revenue-documents';
import { OVERAGE_SETTLEMENTS } from '../overage/overage-billing';

/**
 * The revenue reports, read from the journal lines in the read store and written as JSON (amounts
 * in minor units, as strings) or CSV.
 */
@Injectable()
export class RevenueReports {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(BURNDOWN_CONFIG) private readonly config: Pick<BurndownConfig, 'revenueAccounts'>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async months(customerId: string, through: AccountingMonth | undefined) {
    const rows = monthlyRevenue(await this.lines({ customerId }), through).filter(
      (row) => through === undefined || row.month <= through,
    );
    return rows.map((row) => ({
      currency: row.currency,
      month: row.month,
      openingDeferred: row.openingDeferred.toString(),
      purchased: row.purchased.toString(),
      recognised: row.recognised.toString(),
      breakage: row.breakage.toString(),
      refunded: row.refunded.toString(),
      closingDeferred: row.closingDeferred.toString(),
      lateItems: row.lateItems,
    }));
  }

  /**
   * The overage settled at the end of each billing period, by the month the period ended in:
   * micro-credits invoiced and what they were invoiced for (minor units), micro-credits written off.
   */
  async overage(customerId: string, through: AccountingMonth | undefined) {
    return overageByMonth(await this.settlements({ customerId }))
      .filter((row) => through === undefined || row.month <= through)
      .map((row) => ({
        currency: row.currency,
        month: row.month,
        invoicedCredits: row.invoicedCredits.toString(),
        invoiced: row.invoiced.toString(),
        writtenOffCredits: row.writtenOffCredits.toString(),
        periods: row.periods,
      }));
  }

  async waterfall(customerId: string, through: AccountingMonth = monthOf(this.clock.now())) {
    const rows = deferredWaterfall(await this.lines({ customerId }), through);
    return {
      through,
      rows: rows.map((row) => ({
        currency: row.currency,
        purchasedIn: row.purchasedIn,
        purchased: row.purchased.toString(),
        deferredAtEndOf: row.deferredAtEndOf.map(({ month, deferred }) => ({
          month,
          deferred: deferred.toString(),
        })),
      })),
    };
  }

  /** The lines booked in `month` as a double-entry journal, to the configured accounts. */
  async journal(month: AccountingMonth): Promise<string> {
    const accounts = { ...DEFAULT_REVENUE_ACCOUNTS, ...this.config.revenueAccounts };
    const lines = (await this.lines({ month })).sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    const overage = (await this.settlements({ month })).sort((a, b) =>
      a.settlementId < b.settlementId ? -1 : a.settlementId > b.settlementId ? 1 : 0,
    );
    return journalCsv([
      ...journalEntries(lines, accounts),
      ...overageJournalEntries(overage, accounts),
    ]);
  }

  /** The overage settlements done (settled on the wallet too) that match `where`. */
  private async settlements(
    where: Readonly<Record<string, FieldValue>>,
  ): Promise<OverageSettlementLine[]> {
    const settled: OverageSettlementLine[] = [];
    for await (const { id, document } of everyDocument(this.readStore, OVERAGE_SETTLEMENTS, {
      ...where,
      settledOnWallet: true,
    })) {
      const found = settledOverageOf(id, document);
      if (found !== undefined) settled.push(found);
    }
    return settled;
  }

  private async lines(where: Readonly<Record<string, FieldValue>>): Promise<RevenueLine[]> {
    const lines: RevenueLine[] = [];
    for await (const { id, document } of everyDocument(this.readStore, REVENUE_LINES, where))
      lines.push(lineOfDocument(id, document));
    return lines;
  }
}

/** A settlement document as the reports need it; one written before it kept its currency is left out. */
function settledOverageOf(id: string, document: JsonObject): OverageSettlementLine | undefined {
  const { customerId, currency, periodEnd, invoicedCredits, amount, writtenOffCredits } = document;
  const amounts = [invoicedCredits, amount, writtenOffCredits];
  if (typeof customerId !== 'string' || typeof currency !== 'string') return undefined;
  if (typeof periodEnd !== 'string') return undefined;
  if (!amounts.every((value) => typeof value === 'string' && /^\d+$/.test(value))) return undefined;
  return {
    settlementId: id,
    customerId,
    currency,
    periodEnd: new Date(periodEnd),
    invoicedCredits: BigInt(invoicedCredits as string),
    amount: BigInt(amount as string),
    writtenOffCredits: BigInt(writtenOffCredits as string),
  };
}
