/** `admin` implies every other scope; `ingest` sends usage; `read` reads balances and views. */
export const SCOPES = ['admin', 'ingest', 'read'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

export function holdsScope(held: readonly Scope[], needed: Scope): boolean {
  return held.includes('admin') || held.includes(needed);
}
