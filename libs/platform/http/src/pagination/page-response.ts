import type { Page } from '@burndown/ports';

/** Every listing answers `{ data, nextCursor }`; nextCursor is null on the last page. */
export interface PageResponse<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}

export function toPageResponse<T>(page: Page<T>): PageResponse<T>;
export function toPageResponse<T, R>(page: Page<T>, map: (item: T) => R): PageResponse<R>;
export function toPageResponse<T, R>(page: Page<T>, map?: (item: T) => R): PageResponse<T | R> {
  return {
    data: map === undefined ? page.items : page.items.map(map),
    nextCursor: page.nextCursor ?? null,
  };
}
