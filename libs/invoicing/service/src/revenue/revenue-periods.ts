import { Inject, Injectable } from '@nestjs/common';
import { isAccountingMonth, type AccountingMonth } from '@burndown/invoicing-domain';
import { READ_STORE, type ReadStore } from '@burndown/ports';

export const REVENUE_PERIODS = 'revenue_periods';
const CLOSED = 'closed';

/**
 * Which months are closed: every month up to `closedThrough`; a closed month's figures never
 * change again (lines dated in it that arrive later go to the first open month). Read from the
 * store each time, not kept: the API that closes a month and the projection that books lines may
 * run in different threads or processes.
 */
@Injectable()
export class RevenuePeriods {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async closedThrough(): Promise<AccountingMonth | null> {
    return (await this.stored()).month;
  }

  /** Closing only moves forward: a month before the one closed last is refused by the caller. */
  async close(month: AccountingMonth): Promise<void> {
    const { version } = await this.stored();
    await this.readStore.apply({
      writes: [
        {
          collection: REVENUE_PERIODS,
          id: CLOSED,
          version: version + 1n,
          document: { closedThrough: month },
        },
      ],
    });
  }

  private async stored(): Promise<{ month: AccountingMonth | null; version: bigint }> {
    const stored = await this.readStore.get(REVENUE_PERIODS, CLOSED);
    const month = stored?.document['closedThrough'];
    return stored !== undefined && isAccountingMonth(month)
      ? { month, version: stored.version }
      : { month: null, version: 0n };
  }
}
