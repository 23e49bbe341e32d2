import type { SubscribeToAllOptions } from '@burndown/ports';

export type AllStreamFilter = SubscribeToAllOptions['filter'];

export interface SqlCondition {
  /** Empty when every event passes. */
  readonly sql: string;
  readonly params: readonly string[];
}

/**
 * The SQL condition for a subscription filter: an event passes when its stream name or type starts
 * with any listed prefix. A prefix is compared as a whole string (substr), so `%` and `_` in it are
 * literal. A filter that lists no prefix at all filters nothing (an empty list is "not given").
 */
export function allStreamFilterSql(filter: AllStreamFilter): SqlCondition {
  const tests: string[] = [];
  const params: string[] = [];
  const add = (column: string, prefixes: readonly string[] | undefined): void => {
    for (const prefix of prefixes ?? []) {
      params.push(prefix);
      tests.push(`substr(${column}, 1, ${[...prefix].length}) = ?`);
    }
  };
  add('stream_name', filter?.streamNamePrefixes);
  add('type', filter?.eventTypePrefixes);
  if (tests.length === 0) return { sql: '', params };
  return { sql: `(${tests.join(' OR ')})`, params };
}
