import {
  everyDocument,
  type ReadModelWrite,
  type ReadStore,
  type RecordedEvent,
} from '@burndown/ports';
import type { RecordedRating, UsageRated } from '@burndown/rating-domain';

export const RATED_USAGE_COLLECTION = 'rated_usage';

/** What was rated, at what price, for what revenue and cost: margin queries and previews read it. */
export function ratedUsageWrite(
  customerId: string,
  event: UsageRated,
  recorded: RecordedEvent,
): ReadModelWrite {
  const { data } = event;
  return {
    collection: RATED_USAGE_COLLECTION,
    // By global position: each new document's key lands at the right edge of the key index and of
    // the card index, where one commit's writes share pages. (By customer and revision, every
    // document dirtied a page of its own in both: ~8 KiB more of write-ahead log per event.)
    // Documents stored earlier keep their `customer:revision` ids; readers only filter and page.
    id: recorded.position.toString().padStart(20, '0'),
    version: recorded.revision,
    document: {
      customerId,
      usageEventId: data.usageEventId,
      usageType: data.usageType,
      occurredAt: data.occurredAt.toISOString(),
      quantity: data.quantity,
      properties: { ...data.properties },
      cardId: data.cardId,
      cardVersion: data.cardVersion,
      credits: data.credits.toString(),
      currency: data.currency,
      revenueMicros: data.revenueMicros.toString(),
      costMicros: data.costMicros === null ? null : data.costMicros.toString(),
      lines: data.lines.map((line) => ({
        meterId: line.meterId,
        ruleId: line.ruleId,
        quantity: line.quantity,
        credits: line.credits.toString(),
      })),
    },
  };
}

/** Every rated-usage document matching `where`, page by page. */
export async function* ratedUsageDocuments(
  readStore: ReadStore,
  where: Readonly<Record<string, string>>,
): AsyncGenerator<StoredRatedUsage> {
  for await (const { document } of everyDocument(readStore, RATED_USAGE_COLLECTION, where, 500))
    yield document as unknown as StoredRatedUsage;
}

/** A stored rating as the preview re-rates it: the usage again, with what it burned and earned. */
export function recordedRatingOf(rated: StoredRatedUsage): RecordedRating {
  return {
    usage: {
      usageEventId: rated.usageEventId,
      customerId: rated.customerId,
      type: rated.usageType,
      quantity: rated.quantity,
      occurredAt: new Date(rated.occurredAt),
      properties: rated.properties,
      providerCostMicros: null,
    },
    credits: BigInt(rated.credits),
    revenueMicros: BigInt(rated.revenueMicros),
  };
}

export interface StoredRatedUsage {
  readonly customerId: string;
  readonly usageEventId: string;
  readonly usageType: string;
  readonly occurredAt: string;
  readonly quantity: string;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  readonly cardId: string;
  readonly cardVersion: number;
  readonly credits: string;
  readonly currency: string;
  readonly revenueMicros: string;
  readonly costMicros: string | null;
}
