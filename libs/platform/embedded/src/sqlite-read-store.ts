import { createHash } from 'node:crypto';
import {
  decodeCursor,
  encodeCursor,
  type FindQuery,
  type JsonObject,
  type Page,
  type ProjectionBatch,
  type ReadModelWrite,
  type ReadStore,
  type StoredDocument,
} from '@burndown/ports';
import type { EmbeddedDatabase, SqlParam } from './embedded-database';
import { moveTablesOut, type MovedTable } from './tables-moved-out';

/**
 * SQLite compares TEXT with memcmp over UTF-8 (the BINARY collation): ids sort in byte order, the
 * order MongoDB uses too, so paging is the same whichever adapter runs.
 *
 * A rowid table with its key in a unique index, not a WITHOUT ROWID table keyed by it: documents
 * are appended at the rowid's end and only the small key entries land all over the index, where
 * a table clustered on ids like `<customer>:<revision>` splits wide pages at a hundred places per
 * commit (measured: 2–2.5× the time per insert, and as much more written to the log).
 */
const DOCUMENTS_TABLE = `
CREATE TABLE IF NOT EXISTS rm_documents (
  collection  TEXT    NOT NULL,
  id          TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  document    TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS rm_documents_key ON rm_documents (collection, id);
`;
const READ_STORE_SCHEMA = `${DOCUMENTS_TABLE}
CREATE TABLE IF NOT EXISTS rm_checkpoints (
  name      TEXT    PRIMARY KEY,
  position  INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** What moves along when the read store leaves a file shared with other adapters. */
const READ_STORE_TABLES: readonly MovedTable[] = [
  { name: 'rm_documents', columns: ['collection', 'id', 'version', 'document'] },
  { name: 'rm_checkpoints', columns: ['name', 'position'] },
];

export interface SqliteReadStoreOptions {
  /** A file an earlier version shared with the other adapters: its rm_ tables move here first. */
  readonly movingFrom?: string;
}

/** Larger requests are served this many items per page. */
export const MAX_PAGE_SIZE = 1_000;
/** A bound on one batch, like the event store's bound on one append. */
export const MAX_WRITES_PER_BATCH = 10_000;

const UPSERT_IF_NEWER = `INSERT INTO rm_documents (collection, id, version, document) VALUES (?, ?, ?, ?)
  ON CONFLICT (collection, id) DO UPDATE SET version = excluded.version, document = excluded.document
  WHERE rm_documents.version < excluded.version`;
const MOVE_CHECKPOINT = `INSERT INTO rm_checkpoints (name, position) VALUES (?, ?)
  ON CONFLICT (name) DO UPDATE SET position = excluded.position WHERE rm_checkpoints.position < excluded.position`;

interface DocumentRow {
  readonly id: string;
  readonly version: bigint;
  readonly document: string;
}

/** ReadStore on the embedded SQLite database: rm_documents and rm_checkpoints. */
export class SqliteReadStore implements ReadStore {
  private closed = false;

  private constructor(private readonly db: EmbeddedDatabase) {}

  /** Creates the rm_ tables when missing. The caller keeps owning (and closes) the database. */
  static async create(
    db: EmbeddedDatabase,
    options: SqliteReadStoreOptions = {},
  ): Promise<SqliteReadStore> {
    moveClusteredDocuments(db);
    db.exec(READ_STORE_SCHEMA);
    if (options.movingFrom !== undefined) moveTablesOut(db, options.movingFrom, READ_STORE_TABLES);
    return new SqliteReadStore(db);
  }

  async apply(batch: ProjectionBatch): Promise<{ readonly applied: number }> {
    this.assertOpen();
    if (batch.writes.length > MAX_WRITES_PER_BATCH) {
      throw new RangeError(
        `${batch.writes.length} writes in one batch, at most ${MAX_WRITES_PER_BATCH}`,
      );
    }
    if (batch.writes.length === 0 && batch.checkpoint === undefined) return { applied: 0 };
    const { finals, repeated } = collapse(batch.writes);
    // Encoded first: a document JSON cannot hold fails the batch before anything is written.
    const encoded = finals.map(
      (write) =>
        [write.collection, write.id, write.version, JSON.stringify(write.document)] as const,
    );
    return this.db.write(() => {
      // Writes to a document written more than once in the batch count as if applied one by one.
      let applied = 0;
      for (const writes of repeated.values())
        applied += landingCount(this.storedVersion(writes[0] as ReadModelWrite), writes);
      for (const params of encoded) {
        const changed = this.db.run(UPSERT_IF_NEWER, params).changes;
        if (!repeated.has(keyOf(params[0], params[1]))) applied += changed;
      }
      if (batch.checkpoint !== undefined)
        this.db.run(MOVE_CHECKPOINT, [batch.checkpoint.name, batch.checkpoint.position]);
      return { applied };
    });
  }

  private storedVersion({ collection, id }: ReadModelWrite): bigint | undefined {
    return this.db.get<{ version: bigint }>(
      'SELECT version FROM rm_documents WHERE collection = ? AND id = ?',
      [collection, id],
      true,
    )?.version;
  }

  async get(collection: string, id: string): Promise<StoredDocument | undefined> {
    this.assertOpen();
    const row = this.db.get<DocumentRow>(
      'SELECT id, version, document FROM rm_documents WHERE collection = ? AND id = ?',
      [collection, id],
      true,
    );
    return row === undefined ? undefined : toStoredDocument(row);
  }

  async find(collection: string, query: FindQuery): Promise<Page<StoredDocument>> {
    this.assertOpen();
    if (!(Number.isSafeInteger(query.limit) && query.limit > 0)) {
      throw new RangeError(`find ${collection}: limit ${query.limit} is not a positive integer`);
    }
    const limit = Math.min(query.limit, MAX_PAGE_SIZE);
    const descending = query.order === 'desc';
    const params: SqlParam[] = [];
    // A literal, not a parameter: SQLite uses a partial index only for a query that names its collection.
    const conditions = [`collection = ${sqlText(collection)}`];
    for (const [field, value] of Object.entries(query.where ?? {})) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new RangeError(`find ${collection}: ${field} = ${value} is not a JSON number`);
      }
      // JSON text equality keeps types apart: 3 does not match "3", true does not match "true".
      conditions.push(`${fieldExpression(collection, field)} = ?`);
      params.push(JSON.stringify(value));
    }
    if (query.after !== undefined) {
      conditions.push(`id ${descending ? '<' : '>'} ?`);
      params.push(decodeCursor(query.after));
    }
    // One row more than asked tells whether another page exists.
    params.push(limit + 1);
    const rows = this.db.all<DocumentRow>(
      `SELECT id, version, document FROM rm_documents WHERE ${conditions.join(' AND ')}
       ORDER BY id ${descending ? 'DESC' : 'ASC'} LIMIT ?`,
      params,
      true,
    );
    const items = rows.slice(0, limit).map(toStoredDocument);
    const last = items.at(-1);
    return rows.length > limit && last !== undefined
      ? { items, nextCursor: encodeCursor(last.id) }
      : { items };
  }

  async checkpoint(name: string): Promise<bigint | undefined> {
    this.assertOpen();
    return this.db.get<{ position: bigint }>(
      'SELECT position FROM rm_checkpoints WHERE name = ?',
      [name],
      true,
    )?.position;
  }

  /** A partial expression index per declared field list: (fields…, id) over the collection's rows. */
  async declareIndexes(collection: string, indexes: readonly (readonly string[])[]): Promise<void> {
    this.assertOpen();
    for (const fields of indexes) {
      if (fields.length === 0 || !fields.every(isPlainField)) {
        throw new RangeError(
          `declareIndexes ${collection}: fields must be 1–64 characters of A–Z, a–z, 0–9 or _, got ${JSON.stringify(fields)}`,
        );
      }
      const name = `rm_ix_${createHash('sha256')
        .update(`${collection}\u0000${fields.join(',')}`)
        .digest('hex')
        .slice(0, 24)}`;
      const expressions = fields.map((field) => fieldExpression(collection, field)).join(', ');
      // Partial: documents of other collections never pay for extracting this index's fields.
      this.db.exec(
        `CREATE INDEX IF NOT EXISTS ${name} ON rm_documents (${expressions}, id) WHERE collection = ${sqlText(collection)}`,
      );
    }
  }

  async reset(collections: readonly string[], checkpointName: string): Promise<void> {
    this.assertOpen();
    await this.db.write(() => {
      for (const collection of collections)
        this.db.run('DELETE FROM rm_documents WHERE collection = ?', [collection]);
      this.db.run('DELETE FROM rm_checkpoints WHERE name = ?', [checkpointName]);
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
 * A data directory written before rm_documents became a rowid table: its documents move to the
 * new table in one transaction (the indexes declared on it are declared again at start).
 */
function moveClusteredDocuments(db: EmbeddedDatabase): void {
  const table = db.get<{ sql: string }>(
    "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'rm_documents'",
  );
  if (table === undefined || !/WITHOUT\s+ROWID/i.test(table.sql)) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(`ALTER TABLE rm_documents RENAME TO rm_documents_clustered;
    ${DOCUMENTS_TABLE}
    INSERT INTO rm_documents (collection, id, version, document)
      SELECT collection, id, version, document FROM rm_documents_clustered ORDER BY collection, id;
    DROP TABLE rm_documents_clustered;`);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

const keyOf = (collection: string, id: string): string => `${collection}\u0000${id}`;

/**
 * Per document, the one write that wins when the batch is applied in order (the first with the
 * highest version: a write lands only over an older one), and the writes of documents written
 * more than once, so a batch that moves one balance 500 times stores it once.
 */
function collapse(writes: readonly ReadModelWrite[]): {
  finals: ReadModelWrite[];
  repeated: Map<string, ReadModelWrite[]>;
} {
  const winners = new Map<string, ReadModelWrite>();
  const repeated = new Map<string, ReadModelWrite[]>();
  for (const write of writes) {
    const key = keyOf(write.collection, write.id);
    const winner = winners.get(key);
    if (winner === undefined) {
      winners.set(key, write);
      continue;
    }
    const all = repeated.get(key);
    if (all === undefined) repeated.set(key, [winner, write]);
    else all.push(write);
    if (write.version > winner.version) winners.set(key, write);
  }
  return { finals: [...winners.values()], repeated };
}

/** How many of one document's writes land, one by one, over the stored version. */
function landingCount(stored: bigint | undefined, writes: readonly ReadModelWrite[]): number {
  let current = stored;
  let landed = 0;
  for (const write of writes) {
    if (current !== undefined && write.version <= current) continue;
    current = write.version;
    landed++;
  }
  return landed;
}

/** A string as an SQL literal. */
const sqlText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function isPlainField(field: string): boolean {
  return /^[A-Za-z0-9_]{1,64}$/.test(field);
}

/**
 * A top-level field as JSON text, written the same way in queries and indexes so SQLite matches
 * the index's expression. A field that is not plain is bound by value instead (never indexed).
 */
function fieldExpression(collection: string, field: string): string {
  if (!isPlainField(field))
    throw new RangeError(
      `find ${collection}: field ${JSON.stringify(field)} must be 1–64 characters of A–Z, a–z, 0–9 or _`,
    );
  return `(document -> '$.${field}')`;
}

function toStoredDocument(row: DocumentRow): StoredDocument {
  return { id: row.id, version: row.version, document: JSON.parse(row.document) as JsonObject };
}
