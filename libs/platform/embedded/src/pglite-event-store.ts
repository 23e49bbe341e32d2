import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventHandler,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from '@burndown/ports';
import { allStreamFilterSql, type AllStreamFilter } from './all-stream-filter';
import { CatchUpSubscription } from './catch-up-subscription';
import type { EmbeddedDatabase, Sql } from './embedded-database';
import {
  EVENT_COLUMNS,
  EVENT_ID_CONSTRAINT,
  EVENT_STORE_SCHEMA,
  STREAM_REVISION_CONSTRAINT,
  isUniqueViolation,
  toRecordedEvent,
  type EventRow,
} from './event-store-schema';
import { assertExpectedRevision } from './expected-revision';
import { int8 } from './int8';

export interface PgliteEventStoreOptions {
  /** Events read per catch-up query. */
  readonly pageSize?: number;
  /**
   * Subscriptions wake at once on appends through any PgliteEventStore on the same database; this
   * poll only catches rows written some other way.
   */
  readonly pollIntervalMs?: number;
  /** A subscription's read failed (it retries); defaults to console.error. */
  readonly onSubscriptionReadError?: (error: unknown) => void;
}

/** A bound on one append: a group commit is large, an unbounded one is a bug. */
export const MAX_EVENTS_PER_APPEND = 10_000;
/** Each event takes 6 bind parameters; Postgres allows 65,535 per statement. */
const EVENTS_PER_INSERT = 1_000;
const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_POLL_INTERVAL_MS = 1_000;

/**
 * Wake-up listeners per database, so a subscription on one store instance hears appends made
 * through another instance on the same database without waiting for its poll.
 */
const appendListeners = new WeakMap<EmbeddedDatabase, Set<() => void>>();

/**
 * EventStore on the embedded Postgres (PGlite). PGlite executes one statement at a time and runs a
 * transaction to its end before the next query starts, so appends commit in position order: a
 * catch-up that reads `position > last` can never pass over a row that commits later with a lower
 * position. (On a concurrent Postgres server that would not hold and this reader would need a
 * different design.)
 */
export class PgliteEventStore implements EventStore {
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly listeners: Set<() => void>;
  private closed = false;

  private constructor(
    private readonly db: EmbeddedDatabase,
    private readonly options: Required<PgliteEventStoreOptions>,
  ) {
    let listeners = appendListeners.get(db);
    if (listeners === undefined) {
      listeners = new Set();
      appendListeners.set(db, listeners);
    }
    this.listeners = listeners;
  }

  /** Creates the es_ tables when missing. The caller keeps owning (and closes) the database. */
  static async create(
    db: EmbeddedDatabase,
    options: PgliteEventStoreOptions = {},
  ): Promise<PgliteEventStore> {
    await db.exec(EVENT_STORE_SCHEMA);
    return new PgliteEventStore(db, {
      pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      onSubscriptionReadError:
        options.onSubscriptionReadError ??
        ((error) => console.error('event store subscription: read failed, retrying', error)),
    });
  }

  async append(
    streamName: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new RangeError(`append to ${streamName}: no events`);
    if (events.length > MAX_EVENTS_PER_APPEND) {
      throw new RangeError(
        `append to ${streamName}: ${events.length} events, at most ${MAX_EVENTS_PER_APPEND}`,
      );
    }
    let result: AppendResult;
    try {
      result = await this.db.transaction(async (tx) => {
        const current = await currentRevision(tx, streamName);
        assertExpectedRevision(streamName, expectedRevision, current);
        return insertEvents(tx, streamName, current === undefined ? 0n : current + 1n, events);
      });
    } catch (error) {
      throw await this.explainAppendFailure(error, streamName, expectedRevision);
    }
    for (const listener of this.listeners) listener();
    return result;
  }

  async readStream(
    streamName: string,
    options: ReadStreamOptions = {},
  ): Promise<readonly RecordedEvent[]> {
    this.assertOpen();
    const { maxCount, fromRevision } = options;
    if (maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
      throw new RangeError(`readStream ${streamName}: maxCount ${maxCount} is not a count`);
    }
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    // No "$n IS NULL OR …": a generic plan of that cannot seek the index and scans from the start.
    const from = fromRevision === undefined ? '' : `AND revision ${forwards ? '>=' : '<='} $3::bigint`;
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events
       WHERE stream_name = $1 ${from}
       ORDER BY revision ${forwards ? 'ASC' : 'DESC'}
       LIMIT $2`,
      [streamName, maxCount ?? null, ...(fromRevision === undefined ? [] : [fromRevision.toString()])],
    );
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions, handler: EventHandler): Subscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription(
      (after, limit) => this.readAll(after, limit, options.filter),
      handler,
      {
        fromPosition: options.fromPosition,
        pageSize: this.options.pageSize,
        pollIntervalMs: this.options.pollIntervalMs,
        onError: options.onError,
        onReadError: this.options.onSubscriptionReadError,
      },
    );
    const wake = (): void => subscription.notifyAppended();
    this.listeners.add(wake);
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.listeners.delete(wake);
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  /** Stops every subscription; the database stays open (its owner closes it). */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(running.map((subscription) => subscription.stop()));
  }

  private async readAll(
    after: bigint | undefined,
    limit: number,
    filter: AllStreamFilter,
  ): Promise<readonly RecordedEvent[]> {
    const condition = allStreamFilterSql(filter, 3);
    // Position 0 is before every event (identity starts at 1), so the index is always sought.
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events
       WHERE position > $1::bigint ${condition.sql ? `AND ${condition.sql}` : ''}
       ORDER BY position ASC
       LIMIT $2`,
      [(after ?? 0n).toString(), limit, ...condition.params],
    );
    return rows.map(toRecordedEvent);
  }

  /** Turns a constraint violation into what the caller can act on. */
  private async explainAppendFailure(
    error: unknown,
    streamName: string,
    expected: ExpectedRevision,
  ): Promise<unknown> {
    if (isUniqueViolation(error, STREAM_REVISION_CONSTRAINT)) {
      // Another writer took the revision between our check and insert.
      const actual = await currentRevision(this.db, streamName);
      return new WrongExpectedRevisionError(streamName, expected, actual ?? 'no_stream');
    }
    if (isUniqueViolation(error, EVENT_ID_CONSTRAINT)) {
      return new Error(`append to ${streamName}: an event id is already stored`, { cause: error });
    }
    return error;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}

async function currentRevision(sql: Sql, streamName: string): Promise<bigint | undefined> {
  const { rows } = await sql.query<{ revision_text: string | null }>(
    'SELECT max(revision)::text AS revision_text FROM es_events WHERE stream_name = $1',
    [streamName],
  );
  const revision = rows[0]?.revision_text;
  return revision === null || revision === undefined ? undefined : int8(revision, 'revision');
}

async function insertEvents(
  tx: Sql,
  streamName: string,
  firstRevision: bigint,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  let lastPosition = -1n;
  for (let start = 0; start < events.length; start += EVENTS_PER_INSERT) {
    const chunk = events.slice(start, start + EVENTS_PER_INSERT);
    const params: unknown[] = [];
    const rows = chunk.map((event, offset) => {
      const base = params.length;
      params.push(
        streamName,
        String(firstRevision + BigInt(start + offset)),
        event.eventId,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata ?? {}),
      );
      return `($${base + 1}, $${base + 2}::bigint, $${base + 3}, $${base + 4}, $${base + 5}::jsonb, $${base + 6}::jsonb)`;
    });
    const { rows: inserted } = await tx.query<{ position_text: string }>(
      `INSERT INTO es_events (stream_name, revision, event_id, type, data, metadata)
       VALUES ${rows.join(', ')}
       RETURNING position::text AS position_text`,
      params,
    );
    for (const row of inserted) {
      const position = int8(row.position_text, 'position');
      if (position > lastPosition) lastPosition = position;
    }
  }
  return {
    nextExpectedRevision: firstRevision + BigInt(events.length) - 1n,
    position: lastPosition,
  };
}
