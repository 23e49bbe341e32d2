import type { InvoiceEvent } from './invoice';
import type { InvoiceNumberingEvent } from './invoice-numbering';

type Json = Readonly<Record<string, unknown>>;

/** The fields of invoice events that hold bigints (minor units, micro-credits, parts per million). */
const AMOUNTS = ['quantity', 'unitPrice', 'credits', 'net', 'tax', 'total', 'amount', 'ratePpm'];

/** Bigints as decimal strings and times as ISO-8601, all the way down. */
function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJson(item)]));
  return value;
}

/** The inverse of toJson for invoice events: the amount fields back to bigints, `at` to a time. */
function fromJson(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => fromJson(item));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([field, item]) => [field, fromJson(item, field)]),
    );
  if (typeof value === 'string' && AMOUNTS.includes(key)) {
    if (!/^-?\d+$/.test(value)) throw new Error(`stored invoice event: ${key} is not an amount`);
    return BigInt(value);
  }
  if (typeof value === 'string' && key === 'at') {
    const time = new Date(value);
    if (Number.isNaN(time.getTime())) throw new Error('stored invoice event: at is not a time');
    return time;
  }
  return value;
}

export const invoiceEventCodec = {
  encode: (event: InvoiceEvent): { type: string; data: Json } => ({
    type: event.type,
    data: toJson(event.data) as Json,
  }),
  decode(type: string, data: Json): InvoiceEvent {
    const known = [
      'InvoiceDrafted',
      'InvoiceLinesAdded',
      'InvoiceFinalized',
      'InvoicePaymentRequested',
      'InvoicePaid',
      'InvoiceVoided',
      'InvoiceMarkedUncollectible',
    ];
    if (!known.includes(type)) throw new Error(`unknown invoice event type ${type}`);
    return { type, data: fromJson(data) } as InvoiceEvent;
  },
} as const;

export const invoiceNumberingCodec = {
  encode: (event: InvoiceNumberingEvent): { type: string; data: Json } => ({
    type: event.type,
    data: toJson(event.data) as Json,
  }),
  decode(type: string, data: Json): InvoiceNumberingEvent {
    if (type !== 'InvoiceNumberAssigned') throw new Error(`unknown numbering event type ${type}`);
    const { invoiceId, number } = data;
    if (typeof invoiceId !== 'string' || !Number.isSafeInteger(number))
      throw new Error('stored numbering event: invoiceId or number missing');
    return {
      type,
      data: { at: fromJson(data['at'], 'at') as Date, invoiceId, number: number as number },
    };
  },
} as const;
