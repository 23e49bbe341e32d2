/**
 * Page cursors carry the last id of a page, base64url-encoded JSON so callers treat them as opaque
 * and a mangled cursor is refused instead of silently restarting the listing.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError(`invalid page cursor ${JSON.stringify(cursor)}`);
  }
  const after = (decoded as { after?: unknown } | null)?.after;
  if (typeof after !== 'string')
    throw new RangeError(`invalid page cursor ${JSON.stringify(cursor)}`);
  return after;
}
