import { createHash } from 'node:crypto';
import type {
  FindQuery,
  JsonObject,
  Page,
  ProjectionBatch,
  ReadModelWrite,
  ReadStore,
  StoredDocument,
} from '@burndown/ports';
import type { EmbeddedDatabase, Sql } from './embedded-database';
import { int8 } from './int8';
import { decodeCursor, encodeCursor } from '@burndown/ports';

/**
 * Ids sort in byte order (COLLATE "C"), the order MongoDB uses too, so paging is the same
 * whichever adapter runs.
 */
const READ_STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS rm_documents (
  collection  text COLLATE "C" NOT NULL,
  id          text COLLATE "C" NOT NULL,
  version     bigint NOT NULL,
  document    jsonb  NOT NULL,
  PRIMARY KEY (collection, id)
);
CREATE TABLE IF NOT EXISTS rm_checkpoints (
  name      text   PRIMARY KEY,
  position  bigint NOT NULL
);
`;

/** Larger requests are served this many items per page. */
export const MAX_PAGE_SIZE = 1_000;
/** A bound on one batch, like the event store's bound on one append. */
export const MAX_WRITES_PER_BATCH = 10_000;

interface DocumentRow {
  readonly id: string;
  /** Not named `version`: int8 as text, see int8(). */
  readonly version_text: string;
  readonly document: JsonObject;
}

/** ReadStore on the embedded Postgres (PGlite): rm_documents and rm_checkpoints. */
export class PgliteReadStore implements ReadStore {
  private closed = false;

  private constructor(private readonly db: EmbeddedDatabase) {}

  /** Creates the rm_ tables when missing. The caller keeps owning (and closes) the database. */
  static async create(db: EmbeddedDatabase): Promise<PgliteReadStore> {
    await db.exec(READ_STORE_SCHEMA);
    return new PgliteReadStore(db);
  }

  async apply(batch: ProjectionBatch): Promise<{ readonly applied: number }> {
    this.assertOpen();
    if (batch.writes.length > MAX_WRITES_PER_BATCH) {
      throw new RangeError(`${batch.writes.length} writes in one batch, at most ${MAX_WRITES_PER_BATCH}`);
    }
    if (batch.writes.length === 0 && batch.checkpoint === undefined) return { applied: 0 };
    return this.db.transaction(async (tx) => {
      const applied = await upsertIfNewer(tx, batch.writes);
      if (batch.checkpoint !== undefined) {
        await tx.query(
          `INSERT INTO rm_checkpoints (name, position) VALUES ($1, $2::bigint)
           ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position
           WHERE rm_checkpoints.position < EXCLUDED.position`,
          [batch.checkpoint.name, String(batch.checkpoint.position)],
        );
      }
      return { applied };
    });
  }

  async get(collection: string, id: string): Promise<StoredDocument | undefined> {
    this.assertOpen();
    const { rows } = await this.db.query<DocumentRow>(
      `SELECT id, version::text AS version_text, document FROM rm_documents
       WHERE collection = $1 AND id = $2`,
      [collection, id],
    );
    const row = rows[0];
    return row === undefined ? undefined : toStoredDocument(row);
  }

  async find(collection: string, query: FindQuery): Promise<Page<StoredDocument>> {
    this.assertOpen();
    if (!(Number.isSafeInteger(query.limit) && query.limit > 0)) {
      throw new RangeError(`find ${collection}: limit ${query.limit} is not a positive integer`);
    }
    const limit = Math.min(query.limit, MAX_PAGE_SIZE);
    const descending = query.order === 'desc';
    const params: unknown[] = [collection];
    const conditions = ['collection = $1'];
    for (const [field, value] of Object.entries(query.where ?? {})) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new RangeError(`find ${collection}: ${field} = ${value} is not a JSON number`);
      }
      // jsonb equality keeps types apart: 3 does not match "3", true does not match "true".
      params.push(field, JSON.stringify(value));
      conditions.push(`document -> $${params.length - 1} = $${params.length}::jsonb`);
    }
    if (query.after !== undefined) {
      params.push(decodeCursor(query.after));
      conditions.push(`id ${descending ? '<' : '>'} $${params.length}`);
    }
    // One row more than asked tells whether another page exists.
    params.push(limit + 1);
    const { rows } = await this.db.query<DocumentRow>(
      `SELECT id, version::text AS version_text, document FROM rm_documents
       WHERE ${conditions.join(' AND ')}
       ORDER BY id ${descending ? 'DESC' : 'ASC'}
       LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map(toStoredDocument);
    const last = items.at(-1);
    return rows.length > limit && last !== undefined
      ? { items, nextCursor: encodeCursor(last.id) }
      : { items };
  }

  async checkpoint(name: string): Promise<bigint | undefined> {
    this.assertOpen();
    const { rows } = await this.db.query<{ position_text: string }>(
      'SELECT position::text AS position_text FROM rm_checkpoints WHERE name = $1',
      [name],
    );
    const row = rows[0];
    return row === undefined ? undefined : int8(row.position_text, 'position');
  }

  /** A partial expression index per declared field list, for this collection's rows only. */
  async declareIndexes(collection: string, indexes: readonly (readonly string[])[]): Promise<void> {
    this.assertOpen();
    for (const fields of indexes) {
      if (fields.length === 0 || !fields.every((field) => /^[A-Za-z0-9_]{1,64}$/.test(field))) {
        throw new RangeError(`declareIndexes ${collection}: fields must be 1–64 characters of A–Z, a–z, 0–9 or _, got ${JSON.stringify(fields)}`);
      }
      const name = `rm_ix_${createHash('sha256').update(`${collection}\u0000${fields.join(',')}`).digest('hex').slice(0, 24)}`;
      const expressions = fields.map((field) => `(document -> '${field}')`).join(', ');
      await this.db.query(
        `CREATE INDEX IF NOT EXISTS ${name} ON rm_documents (${expressions}, id) WHERE collection = '${collection.replace(/'/g, "''")}'`,
      );
    }
  }

  async reset(collections: readonly string[], checkpointName: string): Promise<void> {
    this.assertOpen();
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM rm_documents WHERE collection = ANY($1::text[])', [[...collections]]);
      await tx.query('DELETE FROM rm_checkpoints WHERE name = $1', [checkpointName]);
    });
  }

  /** The database stays open (its owner closes it). */
  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('read store is closed');
  }
}

/**
 * Applies the writes as if one by one in order (each lands only over an older version) with two
 * statements whatever their number: read the stored versions, then upsert each document's last
 * landing write. Returns how many writes landed.
 */
async function upsertIfNewer(tx: Sql, writes: readonly ReadModelWrite[]): Promise<number> {
  if (writes.length === 0) return 0;
  const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`;
  const { rows } = await tx.query<{ collection: string; id: string; version_text: string }>(
    `SELECT d.collection, d.id, d.version::text AS version_text
     FROM rm_documents d JOIN unnest($1::text[], $2::text[]) AS k(collection, id) USING (collection, id)`,
    [writes.map((write) => write.collection), writes.map((write) => write.id)],
  );
  const versions = new Map<string, bigint>(rows.map((row) => [keyOf(row.collection, row.id), int8(row.version_text, 'version')]));
  const landing = new Map<string, ReadModelWrite>();
  let applied = 0;
  for (const write of writes) {
    const key = keyOf(write.collection, write.id);
    const current = versions.get(key);
    if (current !== undefined && write.version <= current) continue;
    versions.set(key, write.version);
    landing.set(key, write);
    applied++;
  }
  const finals = [...landing.values()];
  if (finals.length > 0) {
    await tx.query(
      `INSERT INTO rm_documents (collection, id, version, document)
       SELECT w.collection, w.id, w.version::bigint, w.document::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS w(collection, id, version, document)
       ON CONFLICT (collection, id) DO UPDATE
         SET version = EXCLUDED.version, document = EXCLUDED.document
         WHERE rm_documents.version < EXCLUDED.version`,
      [finals.map((w) => w.collection), finals.map((w) => w.id), finals.map((w) => String(w.version)), finals.map((w) => JSON.stringify(w.document))],
    );
  }
  return applied;
}

function toStoredDocument(row: DocumentRow): StoredDocument {
  return { id: row.id, version: int8(row.version_text, 'version'), document: row.document };
}
