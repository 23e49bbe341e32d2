import type { JsonObject } from './json';

export interface ReadModelWrite {
  readonly collection: string;
  readonly id: string;
  readonly document: JsonObject;
  /**
   * Monotonic guard, usually the source stream's revision: the write applies only when it is
   * greater than the stored version, so replaying a projection leaves documents unchanged.
   */
  readonly version: bigint;
}

export interface StoredDocument {
  readonly id: string;
  readonly version: bigint;
  readonly document: JsonObject;
}

export interface ProjectionBatch {
  readonly writes: readonly ReadModelWrite[];
  /** Moves the named checkpoint with the writes (in one transaction where the store has them). */
  readonly checkpoint?: { readonly name: string; readonly position: bigint };
}

export type FieldValue = string | number | boolean;

export interface FindQuery {
  /** Equality on top-level document fields. */
  readonly where?: Readonly<Record<string, FieldValue>>;
  /** Opaque cursor from a previous page's nextCursor. */
  readonly after?: string;
  readonly limit: number;
  /** Documents are ordered by id. */
  readonly order?: 'asc' | 'desc';
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Present when more items may follow. */
  readonly nextCursor?: string;
}

/** Projections (read models) materialised from event streams (DESIGN.md §3). */
export interface ReadStore {
  apply(batch: ProjectionBatch): Promise<{ readonly applied: number }>;
  get(collection: string, id: string): Promise<StoredDocument | undefined>;
  find(collection: string, query: FindQuery): Promise<Page<StoredDocument>>;
  checkpoint(name: string): Promise<bigint | undefined>;
  /**
   * Creates, when missing, the indexes a read model's queries need: each an ordered list of
   * top-level document fields used in `where`. Read models declare them in code at start.
   */
  declareIndexes(collection: string, indexes: readonly (readonly string[])[]): Promise<void>;
  /** Drops a collection and checkpoint so a projection can rebuild from zero. */
  reset(collections: readonly string[], checkpointName: string): Promise<void>;
  close(): Promise<void>;
}

/** Every document of `collection` matching `where`, page by page (`pageSize` a page), in id order. */
export async function* everyDocument(
  readStore: ReadStore,
  collection: string,
  where?: Readonly<Record<string, FieldValue>>,
  pageSize = 1_000,
): AsyncGenerator<StoredDocument> {
  let after: string | undefined;
  do {
    const page = await readStore.find(collection, {
      ...(where === undefined ? {} : { where }),
      limit: pageSize,
      ...(after === undefined ? {} : { after }),
    });
    yield* page.items;
    after = page.nextCursor;
  } while (after !== undefined);
}
