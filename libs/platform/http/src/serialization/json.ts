/** Amounts are bigint in memory and strings in JSON (DESIGN.md §4); a stray bigint must not crash a reply. */
export function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** JSON.stringify that writes bigints as strings. The platform's reply serializer. */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, bigintAsString);
}

/**
 * The same text for equal JSON values whatever their key order, so two bodies that mean the same
 * compare equal (idempotency fingerprints).
 */
export function canonicalJson(value: unknown): string {
  return stringifyJson(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  if (typeof (source as { toJSON?: unknown }).toJSON === 'function') return value;
  return Object.fromEntries(
    Object.keys(source)
      .sort()
      .map((key) => [key, sortKeys(source[key])]),
  );
}
