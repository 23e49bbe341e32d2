import { existsSync } from 'node:fs';
import type { EmbeddedDatabase } from './embedded-database';

/** A table an adapter takes along when it moves to a file of its own, with the columns it keeps. */
export interface MovedTable {
  readonly name: string;
  readonly columns: readonly string[];
}

/**
 * Moves an adapter's tables out of the file an earlier version shared between the event store,
 * the read store and the bus, into `target` (whose schema already holds empty tables of the same
 * names). WAL mode commits attached files one by one, never as a set, so the move is two
 * transactions in this order: the copy commits in the target first (replacing whatever an
 * interrupted move left there), then the tables are dropped from the old file. A crash between
 * them leaves the old tables in place and the next start copies them again; nothing is ever only
 * in a file that a crash could leave half-written.
 */
export function moveTablesOut(
  target: EmbeddedDatabase,
  sharedFile: string,
  tables: readonly MovedTable[],
): void {
  // ATTACH would create a missing file: a new data directory has nothing to move.
  if (!existsSync(sharedFile)) return;
  target.run('ATTACH DATABASE ? AS shared', [sharedFile]);
  try {
    const present = tables.filter(
      (table) =>
        target.get("SELECT 1 FROM shared.sqlite_schema WHERE type = 'table' AND name = ?", [
          table.name,
        ]) !== undefined,
    );
    if (present.length === 0) return;
    inTransaction(target, () => {
      for (const { name, columns } of present) {
        const list = columns.join(', ');
        target.exec(`DELETE FROM main.${name};
          INSERT INTO main.${name} (${list}) SELECT ${list} FROM shared.${name};`);
      }
    });
    inTransaction(target, () => {
      for (const { name } of present) target.exec(`DROP TABLE shared.${name}`);
    });
  } finally {
    target.exec('DETACH DATABASE shared');
  }
}

function inTransaction(db: EmbeddedDatabase, work: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    work();
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
