import type { SubscribeToAllOptions } from '@burndown/ports';

export type AllStreamFilter = SubscribeToAllOptions['filter'];

export interface SqlCondition {
  /** Empty when every event passes. */
  readonly sql: string;
  readonly params: readonly string[];
}

/**
 * The SQL condition for a subscription filter: an event passes when its stream name or type starts
 * with any listed prefix. starts_with() rather than LIKE so `%` and `_` in a prefix are literal.
 * A filter that lists no prefix at all filters nothing (an empty list is read as "not given").
 */
export function allStreamFilterSql(filter: AllStreamFilter, firstParamIndex: number): SqlCondition {
  const tests: string[] = [];
  const params: string[] = [];
  const add = (column: string, prefixes: readonly string[] | undefined): void => {
    for (const prefix of prefixes ?? []) {
      params.push(prefix);
      tests.push(`starts_with(${column}, $${firstParamIndex + params.length - 1})`);
    }
  };
  add('stream_name', filter?.streamNamePrefixes);
  add('type', filter?.eventTypePrefixes);
  if (tests.length === 0) return { sql: '', params };
  return { sql: `(${tests.join(' OR ')})`, params };
}
