import { PermanentFailure, type JsonValue } from '@burndown/ports';
import type { Properties, Usage } from '@burndown/rating-domain';

/** An accepted usage event as ingestion publishes it on `usage.<customerId>`. */
export function parseUsageMessage(payload: JsonValue): Usage {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new PermanentFailure('usage message is not a JSON object');
  }
  const record = payload as Record<string, unknown>;
  const text = (field: string): string => {
    const value = record[field];
    if (typeof value !== 'string' || value === '')
      throw new PermanentFailure(`usage message: ${field} missing`);
    return value;
  };
  const [usageEventId, customerId, type, quantity, timestamp] = [
    'id',
    'customerId',
    'type',
    'quantity',
    'timestamp',
  ].map(text) as [string, string, string, string, string];
  const occurredAt = new Date(timestamp);
  if (Number.isNaN(occurredAt.getTime()))
    throw new PermanentFailure('usage message: timestamp is not a time');
  const properties = record['properties'] ?? {};
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    throw new PermanentFailure('usage message: properties is not an object');
  }
  const cost = record['providerCostMicros'];
  if (
    cost !== undefined &&
    cost !== null &&
    (typeof cost !== 'string' || !/^\d{1,30}$/.test(cost))
  ) {
    throw new PermanentFailure('usage message: providerCostMicros is not a whole number string');
  }
  return {
    usageEventId,
    customerId,
    type,
    quantity,
    occurredAt,
    properties: properties as Properties,
    providerCostMicros: typeof cost === 'string' ? BigInt(cost) : null,
  };
}
