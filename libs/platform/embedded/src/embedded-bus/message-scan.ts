import type { EmbeddedDatabase } from '../embedded-database';
import { MESSAGE_COLUMNS, type MessageRow } from './bus-schema';
import { lastSequenceOf } from './message-log';
import { subjectPatternRegex } from './subject-pattern';

/** Positions one scan examines at most, so a filter that matches rarely costs a bounded read. */
const SCAN_WINDOW = 20_000n;

export interface ScannedPage {
  /** Matching messages, in sequence order. */
  readonly rows: readonly MessageRow[];
  /** Every message up to here was examined: the next scan goes on after it. */
  readonly through: bigint;
}

/**
 * Reads a durable consumer's next messages outside any write: in WAL mode a read sees the last
 * commit while other threads keep committing, so a consumer holds no commit lock to look. The
 * filter runs in SQL where SQLite can say it (an exact subject, a literal prefix before a trailing
 * `>`), so a partition consumer never decodes the rows of the other partitions; a `*` filter is
 * narrowed by its prefix in SQL and finished with its regular expression.
 */
export class MessageScan {
  private readonly sql: string;
  private readonly params: readonly string[];
  private readonly finish: RegExp | undefined;

  constructor(
    private readonly db: EmbeddedDatabase,
    private readonly stream: string,
    filterSubject: string | undefined,
    streamSubjects: readonly string[],
  ) {
    const filter = subjectFilterSql(filterSubject, streamSubjects);
    this.params = filter.params;
    this.finish = filter.finish;
    this.sql = `SELECT ${MESSAGE_COLUMNS} FROM bus_messages m
      WHERE m.stream = ? AND m.sequence > ? AND m.sequence <= ? ${filter.sql}
      ORDER BY m.sequence LIMIT ?`;
  }

  /** Up to `limit` matching messages after `after`, as committed when the scan starts. */
  next(after: bigint, limit: number): ScannedPage {
    // Sequences commit in order (one commit at a time), so all up to the stream's last are there.
    const end = lastSequenceOf(this.db, this.stream);
    const upTo = after + SCAN_WINDOW < end ? after + SCAN_WINDOW : end;
    if (upTo <= after) return { rows: [], through: after };
    const rows = this.db.all<MessageRow>(
      this.sql,
      [this.stream, after, upTo, ...this.params, limit],
      true,
    );
    const through = rows.length === limit ? (rows.at(-1) as MessageRow).sequence : upTo;
    const finish = this.finish;
    return { rows: finish ? rows.filter((row) => finish.test(row.subject)) : rows, through };
  }
}

/** The SQL condition (after `AND`) for a NATS filter subject, and what SQL cannot say of it. */
export function subjectFilterSql(
  filterSubject: string | undefined,
  streamSubjects: readonly string[],
): { readonly sql: string; readonly params: readonly string[]; readonly finish?: RegExp } {
  // No filter, or the stream's one subject pattern: every message of the stream matches.
  if (
    filterSubject === undefined ||
    (streamSubjects.length === 1 && streamSubjects[0] === filterSubject)
  )
    return { sql: '', params: [] };
  const tokens = filterSubject.split('.');
  const firstWildcard = tokens.findIndex((token) => token === '*' || token === '>');
  if (firstWildcard === -1) return { sql: 'AND m.subject = ?', params: [filterSubject] };
  const prefix = tokens
    .slice(0, firstWildcard)
    .map((token) => `${token}.`)
    .join('');
  // length() in SQL as well: SQLite counts characters where JavaScript counts UTF-16 units.
  const prefixSql = prefix === '' ? '' : 'AND substr(m.subject, 1, length(?)) = ?';
  const prefixParams = prefix === '' ? [] : [prefix, prefix];
  // Literal tokens then `>`: every valid subject past the prefix has the one more token `>` needs.
  if (firstWildcard === tokens.length - 1 && tokens[firstWildcard] === '>')
    return { sql: prefixSql, params: prefixParams };
  return {
    sql: prefixSql,
    params: prefixParams,
    finish: new RegExp(subjectPatternRegex(filterSubject)),
  };
}
