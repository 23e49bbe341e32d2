import { isAmount, isDateTime, isQuantity } from '@burndown/http';
import { isFlatProperties, USAGE_EVENT_PATTERNS, UsageEventDto } from './usage-event.dto';

const FIELDS: ReadonlySet<string> = new Set([
  'id',
  'customerId',
  'type',
  'quantity',
  'timestamp',
  'properties',
  'providerCostMicros',
]);

const isPatterned = (value: unknown, pattern: RegExp): boolean =>
  typeof value === 'string' && pattern.test(value);

/**
 * The DTO's rules with the predicates its decorators use, without class-validator's walk over its
 * metadata (a tenth of the embedded burn's CPU at 1,000-event batches). It only ever says yes: an
 * event it does not pass — a broken rule, an unknown field, a null optional — goes to
 * class-validator, which decides and words the errors, so the two cannot disagree on a refusal;
 * usage-event-fast-check.spec.ts holds it to never passing what class-validator refuses.
 */
export function passesFastCheck(item: object): boolean {
  const event = item as Record<string, unknown>;
  for (const key of Object.keys(event)) if (!FIELDS.has(key)) return false;
  return (
    isPatterned(event['id'], USAGE_EVENT_PATTERNS.id) &&
    isPatterned(event['customerId'], USAGE_EVENT_PATTERNS.customerId) &&
    isPatterned(event['type'], USAGE_EVENT_PATTERNS.type) &&
    isQuantity(event['quantity']) &&
    (event['timestamp'] === undefined || isDateTime(event['timestamp'])) &&
    (event['properties'] === undefined || isFlatProperties(event['properties'])) &&
    (event['providerCostMicros'] === undefined || isAmount(event['providerCostMicros']))
  );
}

/** What plainToInstance makes of a plain event (the DTO declares no nested types). */
export const asUsageEvent = (item: object): UsageEventDto =>
  Object.assign(new UsageEventDto(), item);
