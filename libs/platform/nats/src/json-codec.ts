import type { MsgHdrs } from 'nats';
import type { JsonValue } from '@burndown/ports';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encodeJson = (value: JsonValue): Uint8Array => encoder.encode(JSON.stringify(value));
export const decodeJson = (data: Uint8Array): JsonValue =>
  data.length === 0 ? null : (JSON.parse(decoder.decode(data)) as JsonValue);

/** NATS headers as a plain record (the first value of each); JetStream's own headers are left out. */
export function headersOf(headers: MsgHdrs | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (headers === undefined) return record;
  for (const [key, values] of headers) {
    if (!key.startsWith('Nats-') && values[0] !== undefined) record[key] = values[0];
  }
  return record;
}
