import { PermanentFailure, type JsonValue } from '@burndown/ports';

/** An accepted usage event as ingestion publishes it on `usage.<customerId>`. */
export interface UsageMessage {
  readonly id: string;
  readonly customerId: string;
  readonly type: string;
  readonly quantity: string;
  readonly timestamp: string;
}

export function parseUsageMessage(payload: JsonValue): UsageMessage {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new PermanentFailure('usage message is not a JSON object');
  }
  const record = payload as Record<string, unknown>;
  const text = (field: string): string => {
    const value = record[field];
    if (typeof value !== 'string' || value === '') throw new PermanentFailure(`usage message: ${field} missing`);
    return value;
  };
  return {
    id: text('id'),
    customerId: text('customerId'),
    type: text('type'),
    quantity: text('quantity'),
    timestamp: text('timestamp'),
  };
}
