import {
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
import { CatchUpSubscription, type PageRead } from './catch-up-subscription';
import type { EmbeddedDatabase } from './embedded-database';
import {
  EVENT_COLUMNS,
  EVENT_STORE_SCHEMA,
  isUniqueViolation,
  toRecordedEvent,
  type EventRow,
} from './event-store-schema';
import { assertExpectedRevision } from './expected-revision';

export interface SqliteEventStoreOptions {
  /** Events read per catch-up query. */
  readonly pageSize?: number;
  /**
   * Subscriptions wake at once on appends through any SqliteEventStore on the same database, in
   * any thread joined to it; this poll only catches rows written some other way.
   */
  readonly pollIntervalMs?: number;
  /** A subscription's read failed (it retries); defaults to console.error. */
  readonly onSubscriptionReadError?: (error: unknown) => void;
}

/** A bound on one append: a group commit is large, an unbounded one is a bug. */
export const MAX_EVENTS_PER_APPEND = 10_000;
const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Positions one catch-up read examines at most. */
const SCAN_WINDOW = 20_000n;

const CURRENT_REVISION = 'SELECT max(revision) AS revision FROM es_events WHERE stream_name = ?';
const INSERT_EVENT = `INSERT INTO es_events (stream_name, revision, event_id, type, data, metadata, recorded_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;

/** The database's commit notice for appends: every store instance on it, in any thread, hears it. */
const APPENDED = 'es:appended';

/**
 * EventStore on the embedded SQLite database. An append checks the expected revision and inserts
 * inside the database's next group commit, so appends of many streams arriving together cost one
 * transaction and one fsync, and each is acknowledged only once it is durable.
 */
export class SqliteEventStore implements EventStore {
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private closed = false;

  private constructor(
    private readonly db: EmbeddedDatabase,
    private readonly options: Required<SqliteEventStoreOptions>,
  ) {}

  /** Creates the es_ tables when missing. The caller keeps owning (and closes) the database. */
  static async create(
    db: EmbeddedDatabase,
    options: SqliteEventStoreOptions = {},
  ): Promise<SqliteEventStore> {
    db.exec(EVENT_STORE_SCHEMA);
    return new SqliteEventStore(db, {
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
    // Encoded before the write group: a value JSON cannot hold fails this append alone, at once.
    const encoded = events.map(
      (event) =>
        [
          event.eventId,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata ?? {}),
        ] as const,
    );
    const result = await this.db.write(() => {
      const current = this.currentRevision(streamName);
      assertExpectedRevision(streamName, expectedRevision, current);
      return this.insert(streamName, current === undefined ? 0n : current + 1n, encoded);
    });
    this.db.notices.announce(APPENDED);
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
    const from = fromRevision === undefined ? '' : `AND revision ${forwards ? '>=' : '<='} ?`;
    const rows = this.db.all<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_name = ? ${from}
       ORDER BY revision ${forwards ? 'ASC' : 'DESC'} LIMIT ?`,
      [streamName, ...(fromRevision === undefined ? [] : [fromRevision]), maxCount ?? -1],
      true,
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
    const stopListening = this.db.notices.listen(APPENDED, () => subscription.notifyAppended());
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        stopListening();
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

  /** At most SCAN_WINDOW positions per read, so a filter that matches rarely costs a bounded scan. */
  private async readAll(
    after: bigint | undefined,
    limit: number,
    filter: AllStreamFilter,
  ): Promise<PageRead> {
    const condition = allStreamFilterSql(filter);
    const from = after ?? 0n;
    const end =
      this.db.get<{ position: bigint | null }>(
        'SELECT max(position) AS position FROM es_events',
        [],
        true,
      )?.position ?? 0n;
    const upTo = from + SCAN_WINDOW < end ? from + SCAN_WINDOW : end;
    const rows = this.db.all<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events
       WHERE position > ? AND position <= ? ${condition.sql ? `AND ${condition.sql}` : ''}
       ORDER BY position ASC LIMIT ?`,
      [from, upTo, ...condition.params, limit],
      true,
    );
    const events = rows.map(toRecordedEvent);
    const through = events.length === limit ? (events.at(-1) as RecordedEvent).position : upTo;
    return { events, through, atEnd: through >= end };
  }

  private currentRevision(streamName: string): bigint | undefined {
    const row = this.db.get<{ revision: bigint | null }>(CURRENT_REVISION, [streamName], true);
    return row?.revision ?? undefined;
  }

  private insert(
    streamName: string,
    firstRevision: bigint,
    events: readonly (readonly [eventId: string, type: string, data: string, metadata: string])[],
  ): AppendResult {
    const recordedAt = Date.now();
    let position = -1n;
    events.forEach(([eventId, type, data, metadata], offset) => {
      try {
        position = this.db.run(INSERT_EVENT, [
          streamName,
          firstRevision + BigInt(offset),
          eventId,
          type,
          data,
          metadata,
          recordedAt,
        ]).lastInsertRowid;
      } catch (error) {
        if (isUniqueViolation(error, 'es_events.event_id')) {
          throw new Error(`append to ${streamName}: an event id is already stored (${eventId})`, {
            cause: error,
          });
        }
        throw error;
      }
    });
    return { nextExpectedRevision: firstRevision + BigInt(events.length) - 1n, position };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}
