import { MongoClient, MongoServerError, type Db, type Document, type Filter } from 'mongodb';
import {
  decodeCursor,
  encodeCursor,
  type FindQuery,
  type JsonObject,
  type Page,
  type ProjectionBatch,
  type ReadStore,
  type StoredDocument,
} from '@burndown/ports';

const CHECKPOINTS = 'rm_checkpoints';
const MAX_PAGE_SIZE = 500;
/** Versions and positions as fixed-width decimal strings: string order is numeric order, beyond 2^64. */
const WIDTH = 40;
const padded = (value: bigint): string => {
  if (value < 0n) throw new RangeError(`versions and positions are not negative, got ${value}`);
  return value.toString().padStart(WIDTH, '0');
};
const unpadded = (text: string): bigint => BigInt(text);

interface StoredShape {
  _id: string;
  version: string;
  doc: JsonObject;
}

/**
 * ReadStore on MongoDB: one collection per read model, each document guarded by its version (a
 * write lands only when its version is greater), checkpoints that never move backwards. The
 * writes of a batch are applied before its checkpoint; they are idempotent, so a crash in between
 * replays the batch to the same documents (the documented equivalent of one transaction). Read
 * models declare the indexes their queries need at start (declareIndexes).
 */
export class MongoReadStore implements ReadStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** Connects and pings, so a wrong or unreachable address fails at start. */
  static async connect(url: string, databaseName = 'burndown'): Promise<MongoReadStore> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
    try {
      await client.connect();
      const db = client.db(databaseName);
      await db.command({ ping: 1 });
      return new MongoReadStore(client, db);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(`cannot reach MongoDB at ${url}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async apply(batch: ProjectionBatch): Promise<{ readonly applied: number }> {
    let applied = 0;
    for (const write of batch.writes) {
      const version = padded(write.version);
      applied += await this.upsertIfGreater(
        write.collection,
        write.id,
        { version: { $lt: version } },
        { version, doc: write.document },
      );
    }
    if (batch.checkpoint !== undefined) {
      const position = padded(batch.checkpoint.position);
      await this.upsertIfGreater(
        CHECKPOINTS,
        batch.checkpoint.name,
        { position: { $lt: position } },
        { position },
      );
    }
    return { applied };
  }

  async get(collection: string, id: string): Promise<StoredDocument | undefined> {
    const found = await this.db.collection<StoredShape>(collection).findOne({ _id: id });
    return found === null ? undefined : toStored(found);
  }

  async find(collection: string, query: FindQuery): Promise<Page<StoredDocument>> {
    if (!(Number.isSafeInteger(query.limit) && query.limit > 0)) {
      throw new RangeError(`find ${collection}: limit ${query.limit} is not a positive integer`);
    }
    const limit = Math.min(query.limit, MAX_PAGE_SIZE);
    const descending = query.order === 'desc';
    const filter: Filter<StoredShape> = {};
    for (const [field, value] of Object.entries(query.where ?? {})) {
      if (typeof value === 'number' && !Number.isFinite(value))
        throw new RangeError(`find ${collection}: ${field} = ${value} is not a JSON number`);
      (filter as Document)[`doc.${field}`] = value;
    }
    if (query.after !== undefined)
      filter._id = descending
        ? { $lt: decodeCursor(query.after) }
        : { $gt: decodeCursor(query.after) };
    const rows = await this.db
      .collection<StoredShape>(collection)
      .find(filter)
      .sort({ _id: descending ? -1 : 1 })
      .limit(limit + 1)
      .toArray();
    const items = rows.slice(0, limit).map(toStored);
    const last = items.at(-1);
    return rows.length > limit && last !== undefined
      ? { items, nextCursor: encodeCursor(last.id) }
      : { items };
  }

  async checkpoint(name: string): Promise<bigint | undefined> {
    const found = await this.db
      .collection<{ _id: string; position: string }>(CHECKPOINTS)
      .findOne({ _id: name });
    return found === null ? undefined : unpadded(found.position);
  }

  async declareIndexes(collection: string, indexes: readonly (readonly string[])[]): Promise<void> {
    for (const fields of indexes) {
      const spec: Record<string, 1> = {};
      for (const field of fields) spec[`doc.${field}`] = 1;
      spec['_id'] = 1;
      await this.db.collection(collection).createIndex(spec);
    }
  }

  async reset(collections: readonly string[], checkpointName: string): Promise<void> {
    for (const collection of collections) {
      await this.db
        .collection(collection)
        .drop()
        .catch((error: unknown) => {
          if (!(error instanceof MongoServerError && error.codeName === 'NamespaceNotFound'))
            throw error;
        });
    }
    await this.db.collection<{ _id: string }>(CHECKPOINTS).deleteOne({ _id: checkpointName });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** 1 when the write landed; 0 when a greater (or equal) version was already there. */
  private async upsertIfGreater(
    collection: string,
    id: string,
    guard: Document,
    set: Document,
  ): Promise<number> {
    try {
      const result = await this.db
        .collection<Document>(collection)
        .updateOne(
          { _id: id, ...guard } as unknown as Filter<Document>,
          { $set: set },
          { upsert: true },
        );
      return result.modifiedCount + result.upsertedCount;
    } catch (error) {
      // The guard failed on an existing document, so the upsert tried to insert its id again.
      if (error instanceof MongoServerError && error.code === 11000) return 0;
      throw error;
    }
  }
}

function toStored(row: StoredShape): StoredDocument {
  return { id: row._id, version: unpadded(row.version), document: row.doc };
}
