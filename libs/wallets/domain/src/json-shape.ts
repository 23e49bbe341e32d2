import { InvalidAmountError, parseAmount } from '@burndown/money';

/**
 * How a domain value is written as JSON and read back: bigints as decimal strings, times as
 * ISO-8601 strings. One description serves both directions, so they cannot drift apart.
 */
export type Shape =
  | 'string'
  | 'amount'
  | 'signedAmount'
  | 'time'
  | 'integer'
  | 'number'
  | { readonly nullable: Shape }
  /** A field added later: absent (or null) in what was written before it, read as `absent`. */
  | { readonly defaulted: Shape; readonly absent: unknown }
  | { readonly array: Shape }
  | { readonly object: { readonly [field: string]: Shape } }
  | {
      readonly union: string;
      readonly variants: { readonly [tag: string]: { readonly [field: string]: Shape } };
    };

export type Json =
  string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

export class UndecodableError extends Error {
  override readonly name: string = 'UndecodableError';
  /** Path of the value at fault, e.g. `policy.overdraft.limit`. */
  readonly field: string | undefined;
  constructor(message: string, options?: ErrorOptions & { readonly field?: string }) {
    super(message, options);
    this.field =
      options?.field ??
      (options?.cause instanceof UndecodableError ? options.cause.field : undefined);
  }
}

export function encodeShape(value: unknown, shape: Shape): Json {
  if (typeof shape === 'string') {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'bigint') return value.toString();
    return value as Json;
  }
  if ('nullable' in shape)
    return value === null || value === undefined ? null : encodeShape(value, shape.nullable);
  if ('defaulted' in shape) return encodeShape(value ?? shape.absent, shape.defaulted);
  if ('array' in shape)
    return (value as readonly unknown[]).map((item) => encodeShape(item, shape.array));
  const record = value as Readonly<Record<string, unknown>>;
  const fields = 'object' in shape ? shape.object : variantOf(shape, record, '');
  const encoded: Record<string, Json> =
    'union' in shape ? { [shape.union]: record[shape.union] as string } : {};
  for (const [field, fieldShape] of Object.entries(fields))
    encoded[field] = encodeShape(record[field], fieldShape);
  return encoded;
}

export function decodeShape(value: unknown, shape: Shape, path: string): unknown {
  const fail = (expected: string): never => {
    throw new UndecodableError(`${path}: expected ${expected}, got ${JSON.stringify(value)}`, {
      field: path,
    });
  };
  if (typeof shape === 'string') {
    switch (shape) {
      case 'string':
        return typeof value === 'string' ? value : fail('a string');
      case 'amount':
      case 'signedAmount': {
        if (typeof value !== 'string') return fail('an amount as a decimal string');
        const negative = shape === 'signedAmount' && value.startsWith('-');
        try {
          const magnitude = parseAmount(negative ? value.slice(1) : value);
          return negative ? -magnitude : magnitude;
        } catch (error) {
          if (error instanceof InvalidAmountError) return fail('an amount as a decimal string');
          throw error;
        }
      }
      case 'time': {
        const time = typeof value === 'string' ? new Date(value) : undefined;
        return time !== undefined && !Number.isNaN(time.getTime())
          ? time
          : fail('an ISO-8601 time');
      }
      case 'integer':
        return Number.isSafeInteger(value) ? value : fail('an integer');
      case 'number':
        return typeof value === 'number' && Number.isFinite(value) ? value : fail('a number');
    }
  }
  if ('nullable' in shape)
    return value === null || value === undefined ? null : decodeShape(value, shape.nullable, path);
  if ('defaulted' in shape)
    return value === null || value === undefined
      ? shape.absent
      : decodeShape(value, shape.defaulted, path);
  if ('array' in shape) {
    if (!Array.isArray(value)) return fail('an array');
    return value.map((item, index) => decodeShape(item, shape.array, `${path}[${index}]`));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('an object');
  const record = value as Readonly<Record<string, unknown>>;
  const fields = 'object' in shape ? shape.object : variantOf(shape, record, path);
  const decoded: Record<string, unknown> =
    'union' in shape ? { [shape.union]: record[shape.union] } : {};
  for (const [field, fieldShape] of Object.entries(fields)) {
    decoded[field] = decodeShape(record[field], fieldShape, `${path}.${field}`);
  }
  return decoded;
}

function variantOf(
  shape: Extract<Shape, { union: string }>,
  record: Readonly<Record<string, unknown>>,
  path: string,
): { readonly [field: string]: Shape } {
  const tag = record[shape.union];
  const fields = typeof tag === 'string' ? shape.variants[tag] : undefined;
  if (fields === undefined) {
    throw new UndecodableError(
      `${path}.${shape.union}: expected one of ${Object.keys(shape.variants).join(', ')}`,
      {
        field: `${path}.${shape.union}`,
      },
    );
  }
  return fields;
}
