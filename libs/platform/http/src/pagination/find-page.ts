import type { FindQuery, Page, ReadStore, StoredDocument } from '@burndown/ports';
import { badRequest } from '../problem/problems';

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * One page of a read-store collection for a listing endpoint. A cursor the store cannot decode
 * (mangled, or from another listing) is the client's mistake: 400 naming `cursor`, not a 500.
 */
export async function findPage(
  readStore: ReadStore,
  collection: string,
  page: PageRequest,
  options: Pick<FindQuery, 'where' | 'order'> = {},
): Promise<Page<StoredDocument>> {
  try {
    return await readStore.find(collection, {
      ...options,
      limit: page.limit,
      ...(page.cursor === undefined ? {} : { after: page.cursor }),
    });
  } catch (error) {
    // Stores refuse undecodable cursors with a RangeError (the ReadStore contract).
    if (page.cursor !== undefined && error instanceof RangeError) {
      throw badRequest('cursor', 'cursor is not one this listing returned; start again without it');
    }
    throw error;
  }
}
