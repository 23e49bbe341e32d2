import { Inject, Injectable } from '@nestjs/common';
import {
  MESSAGE_BUS,
  READ_STORE,
  consumerConfigs,
  type MessageBus,
  type ReadStore,
  type Subscription,
} from '@burndown/ports';
import { BusSubscription } from '@burndown/runtime';
import { REVENUE_LINES } from './revenue-documents';
import { RevenuePeriods } from './revenue-periods';
import { RevenueProjection } from './revenue-projection';

/** Wallet events → the revenue journal; many messages in flight, one wallet's in order. */
@Injectable()
export class RevenueProjectionConsumer extends BusSubscription {
  private readonly projection: RevenueProjection;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    periods: RevenuePeriods,
  ) {
    super();
    this.projection = new RevenueProjection(readStore, () => periods.closedThrough());
  }

  protected async subscribe(): Promise<Subscription> {
    // Reports read one customer's lines; the journal one month's.
    await this.readStore.declareIndexes(REVENUE_LINES, [['customerId'], ['month']]);
    return this.bus.consume(consumerConfigs.invoicingRevenue, (message) =>
      this.projection.apply(message),
    );
  }
}
