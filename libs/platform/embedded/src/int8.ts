/**
 * Reads a Postgres int8 column. Queries select int8 columns as `::text`: PGlite would otherwise
 * hand back a JS number for small values and a bigint for large ones, and a number must never
 * carry a position or revision.
 */
export function int8(value: unknown, column: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`column ${column}: expected an int8 as text, got ${typeof value} ${String(value)}`);
}
