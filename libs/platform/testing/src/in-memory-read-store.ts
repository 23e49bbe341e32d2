import type {
  FindQuery,
  JsonObject,
  Page,
  ProjectionBatch,
  ReadStore,
  StoredDocument,
} from '@burndown/ports';

/** Same bounds as the embedded adapter, so a test cannot rely on something production refuses. */
export const IN_MEMORY_MAX_PAGE_SIZE = 1_000;
export const IN_MEMORY_MAX_WRITES_PER_BATCH = 10_000;

/**
 * ReadStore for unit tests, honouring the port's contract: a write lands only with a greater
 * version, checkpoints only move forward, `find` pages by id in byte order (as Postgres COLLATE "C"
 * and MongoDB do) with a nextCursor only when more documents follow. Documents are copied in and
 * out, so a caller mutating one cannot change the store.
 */
export class InMemoryReadStore implements ReadStore {
  private readonly collections = new Map<string, Map<string, StoredDocument>>();
  private readonly checkpoints = new Map<string, bigint>();
  private closed = false;

  async apply(batch: ProjectionBatch): Promise<{ readonly applied: number }> {
    this.assertOpen();
    if (batch.writes.length > IN_MEMORY_MAX_WRITES_PER_BATCH) {
      throw new RangeError(`${batch.writes.length} writes in one batch, at most ${IN_MEMORY_MAX_WRITES_PER_BATCH}`);
    }
    // No await below: the batch lands as a whole, as it would in one transaction.
    let applied = 0;
    for (const write of batch.writes) {
      const documents = this.collection(write.collection);
      const stored = documents.get(write.id);
      if (stored !== undefined && stored.version >= write.version) continue;
      documents.set(write.id, { id: write.id, version: write.version, document: copy(write.document) });
      applied += 1;
    }
    if (batch.checkpoint !== undefined) {
      const { name, position } = batch.checkpoint;
      const current = this.checkpoints.get(name);
      if (current === undefined || current < position) this.checkpoints.set(name, position);
    }
    return { applied };
  }

  async get(collection: string, id: string): Promise<StoredDocument | undefined> {
    this.assertOpen();
    const stored = this.collections.get(collection)?.get(id);
    return stored === undefined ? undefined : copyStored(stored);
  }

  async find(collection: string, query: FindQuery): Promise<Page<StoredDocument>> {
    this.assertOpen();
    if (!(Number.isSafeInteger(query.limit) && query.limit > 0)) {
      throw new RangeError(`find ${collection}: limit ${query.limit} is not a positive integer`);
    }
    const limit = Math.min(query.limit, IN_MEMORY_MAX_PAGE_SIZE);
    const descending = query.order === 'desc';
    const after = query.after === undefined ? undefined : decodeCursor(query.after);
    const where = Object.entries(query.where ?? {});
    const matching = [...(this.collections.get(collection)?.values() ?? [])]
      .filter((stored) => where.every(([field, value]) => stored.document[field] === value))
      .filter((stored) => after === undefined || (descending ? byteOrder(stored.id, after) < 0 : byteOrder(stored.id, after) > 0))
      .sort((a, b) => (descending ? byteOrder(b.id, a.id) : byteOrder(a.id, b.id)));
    const items = matching.slice(0, limit).map(copyStored);
    const last = items.at(-1);
    return matching.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(last.id) } : { items };
  }

  async checkpoint(name: string): Promise<bigint | undefined> {
    this.assertOpen();
    return this.checkpoints.get(name);
  }

  async reset(collections: readonly string[], checkpointName: string): Promise<void> {
    this.assertOpen();
    for (const collection of collections) this.collections.delete(collection);
    this.checkpoints.delete(checkpointName);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private collection(name: string): Map<string, StoredDocument> {
    let documents = this.collections.get(name);
    if (documents === undefined) {
      documents = new Map();
      this.collections.set(name, documents);
    }
    return documents;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('read store is closed');
  }
}

function copy(document: JsonObject): JsonObject {
  return structuredClone(document);
}

function copyStored(stored: StoredDocument): StoredDocument {
  return { id: stored.id, version: stored.version, document: copy(stored.document) };
}

/** UTF-8 byte order, which differs from JS string order for characters beyond the BMP. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Opaque like the real adapters' cursors, and a mangled one is refused rather than restarting. */
function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError(`invalid page cursor ${JSON.stringify(cursor)}`);
  }
  const after = (decoded as { after?: unknown } | null)?.after;
  if (typeof after !== 'string') throw new RangeError(`invalid page cursor ${JSON.stringify(cursor)}`);
  return after;
}
