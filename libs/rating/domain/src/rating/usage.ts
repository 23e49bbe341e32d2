import type { Properties } from '../card/compiled-card';

/** An accepted usage event, as rating receives it from ingestion. */
export interface Usage {
  readonly usageEventId: string;
  readonly customerId: string;
  readonly type: string;
  /** Non-negative decimal string. */
  readonly quantity: string;
  readonly occurredAt: Date;
  readonly properties: Properties;
  /** What the provider charged, when the event says so: millionths of the card currency's minor unit. */
  readonly providerCostMicros: bigint | null;
}
