import {
  DEAD_LETTER_STREAM,
  DEAD_LETTER_SUBJECT_PREFIX,
  NoStreamForSubjectError,
  type BrowseOptions,
  type BusMessage,
  type ConsumerConfig,
  type JsonValue,
  type MessageBus,
  type MessageHandler,
  type PublishAck,
  type PublishOptions,
  type RequestHandler,
  type StreamConfig,
  type StreamEnsured,
  type Subscription,
} from '@burndown/ports';
import type { EmbeddedDatabase } from '../embedded-database';
import {
  BUS_SCHEMA,
  BUS_TABLES,
  MESSAGE_COLUMNS,
  toBusMessage,
  type MessageRow,
} from './bus-schema';
import { DurableConsumer } from './durable-consumer';
import { CoalescedWrites } from '../coalesced-writes';
import { moveTablesOut } from '../tables-moved-out';
import { appendMessages, lastSequenceOf, newMessage, type NewMessage } from './message-log';
import { Responders } from './responders';
import { isValidSubject, subjectPatternsMatcher } from './subject-pattern';
import { subjectFilterSql } from './message-scan';

export interface EmbeddedBusOptions {
  /** Longest a consumer sleeps without a wake-up before it looks for due messages again. */
  readonly pollIntervalMs?: number;
  /** How long a dead letter's id is remembered (it is keyed by stream, consumer and sequence). */
  readonly deadLetterWindowMs?: number;
  /** An ack or a read failed inside a consumer; defaults to console.error. */
  readonly onConsumerError?: (error: unknown) => void;
  /** A file an earlier version shared with the other adapters: its bus_ tables move here first. */
  readonly movingFrom?: string;
}

/** How often caughtUp() looks at a durable's ack floor. */
const CAUGHT_UP_POLL_MS = 10;

interface RunningConsumer {
  readonly stream: string;
  readonly durableName: string;
  readonly consumer: DurableConsumer;
  readonly stopListening: () => void;
}

/** The database's commit notice for a stream: its consumers, in any thread joined to it, look. */
const publishedTo = (stream: string): string => `bus:published:${stream}`;

const DEFAULT_POLL_INTERVAL_MS = 1_000;
const DAY_MS = 86_400_000;

/**
 * The durable in-process bus of embedded mode: JetStream's semantics (streams, msg-id dedupe within
 * a window, durable consumers with ack, backoff, max deliveries and a dead-letter stream, core
 * request/reply) on the embedded SQLite database, so a message is durable (per the database's sync
 * mode) the moment publish() resolves.
 */

export class EmbeddedBus implements MessageBus {
  /** Publishes of one turn are one write: each deduplicated in order, all acknowledged after the commit. */
  private readonly publishes: CoalescedWrites<
    { readonly stream: StreamConfig; readonly message: NewMessage },
    PublishAck
  >;
  private readonly streams = new Map<string, StreamConfig>();
  /** Which subjects each stream captures, compiled once. */
  private readonly routes = new Map<string, (subject: string) => boolean>();
  private readonly consumers = new Set<RunningConsumer>();
  private readonly responders = new Responders();
  private closed = false;

  private constructor(
    private readonly db: EmbeddedDatabase,
    private readonly options: Required<Omit<EmbeddedBusOptions, 'movingFrom'>>,
  ) {
    this.publishes = new CoalescedWrites(db, (batch) => appendMessages(db, batch));
  }

  /** Creates the bus_ tables and the dead-letter stream. The caller keeps owning the database. */
  static async create(
    db: EmbeddedDatabase,
    options: EmbeddedBusOptions = {},
  ): Promise<EmbeddedBus> {
    db.exec(BUS_SCHEMA);
    if (options.movingFrom !== undefined) moveTablesOut(db, options.movingFrom, BUS_TABLES);
    const bus = new EmbeddedBus(db, {
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      deadLetterWindowMs: options.deadLetterWindowMs ?? DAY_MS,
      onConsumerError:
        options.onConsumerError ??
        ((error) => console.error('embedded bus consumer: retrying after', error)),
    });
    for (const row of db.all<{ name: string; subjects: string; window_ms: number }>(
      'SELECT name, subjects, duplicate_window_ms AS window_ms FROM bus_streams',
    )) {
      bus.remember({
        name: row.name,
        subjects: JSON.parse(row.subjects) as string[],
        duplicateWindowMs: row.window_ms,
      });
    }
    await bus.ensureStream({
      name: DEAD_LETTER_STREAM,
      subjects: [`${DEAD_LETTER_SUBJECT_PREFIX}.>`],
      duplicateWindowMs: bus.options.deadLetterWindowMs,
    });
    return bus;
  }

  async ensureStream(config: StreamConfig): Promise<StreamEnsured> {
    this.assertOpen();
    if (!/^[A-Za-z0-9_-]+$/.test(config.name))
      throw new RangeError(`stream name ${config.name} is not allowed`);
    if (config.subjects.length === 0) throw new RangeError(`stream ${config.name} has no subjects`);
    for (const [name, other] of this.streams) {
      const overlap = config.subjects.find((subject) => other.subjects.includes(subject));
      if (name !== config.name && overlap !== undefined) {
        throw new RangeError(
          `stream ${config.name}: subject ${overlap} already belongs to stream ${name}`,
        );
      }
    }
    const created = await this.db.write(() => {
      const existed = this.db.get('SELECT 1 AS found FROM bus_streams WHERE name = ?', [
        config.name,
      ]);
      this.db.run(
        `INSERT INTO bus_streams (name, subjects, duplicate_window_ms) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET subjects = excluded.subjects, duplicate_window_ms = excluded.duplicate_window_ms`,
        [config.name, JSON.stringify(config.subjects), config.duplicateWindowMs],
      );
      return existed === undefined;
    });
    this.remember(config);
    return { created };
  }

  async publish(subject: string, payload: JsonValue, options: PublishOptions): Promise<PublishAck> {
    this.assertOpen();
    if (!isValidSubject(subject))
      throw new RangeError(`subject ${JSON.stringify(subject)} is not a valid subject`);
    if (options.msgId.length === 0) throw new RangeError(`publish to ${subject}: msgId is empty`);
    const stream = this.streamFor(subject);
    const ack = await this.publishes.add({
      stream,
      message: newMessage(subject, options.msgId, payload, { ...options.headers }),
    });
    if (!ack.duplicate) this.db.notices.announce(publishedTo(stream.name));
    return ack;
  }

  async consume(config: ConsumerConfig, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen();
    const stream = this.streams.get(config.stream);
    if (stream === undefined)
      throw new RangeError(`consumer ${config.durableName}: no stream ${config.stream}`);
    if (!(config.maxDeliver >= 1))
      throw new RangeError(`consumer ${config.durableName}: maxDeliver must be at least 1`);
    for (const entry of this.consumers) {
      if (entry.stream === config.stream && entry.durableName === config.durableName) {
        throw new Error(
          `consumer ${config.durableName} on ${config.stream} is already running in this process`,
        );
      }
    }
    const consumer = await DurableConsumer.start(this.db, config, handler, {
      streamSubjects: stream.subjects,
      pollIntervalMs: this.options.pollIntervalMs,
      deadLetterWindowMs: this.options.deadLetterWindowMs,
      onDeadLettered: () => this.db.notices.announce(publishedTo(DEAD_LETTER_STREAM)),
      onError: this.options.onConsumerError,
    });
    const entry: RunningConsumer = {
      stream: config.stream,
      durableName: config.durableName,
      consumer,
      stopListening: this.db.notices.listen(publishedTo(config.stream), () => consumer.wake()),
    };
    this.consumers.add(entry);
    return {
      stop: async () => {
        this.consumers.delete(entry);
        entry.stopListening();
        await consumer.stop();
      },
    };
  }

  /** The durable's ack floor, as its process last saved it (any thread reads it in the database). */
  async caughtUp(stream: string, durableName: string, timeoutMs: number): Promise<boolean> {
    this.assertOpen();
    const target = lastSequenceOf(this.db, stream);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = this.db.get<{ ack_floor: bigint }>(
        'SELECT ack_floor FROM bus_consumers WHERE stream = ? AND durable_name = ?',
        [stream, durableName],
        true,
      );
      if (row !== undefined && row.ack_floor >= target) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, CAUGHT_UP_POLL_MS));
    }
  }

  async browse(stream: string, options: BrowseOptions): Promise<readonly BusMessage[]> {
    this.assertOpen();
    const filter = subjectFilterSql(
      options.filterSubject,
      this.streams.get(stream)?.subjects ?? [],
    );
    const found: BusMessage[] = [];
    // What SQL cannot say of the filter (a `*`) is finished here: the scan stops at the limit.
    for (const row of this.db.iterate<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM bus_messages m WHERE m.stream = ? AND m.sequence > ? ${filter.sql} ORDER BY m.sequence`,
      [stream, options.afterSequence ?? 0n, ...filter.params],
      true,
    )) {
      if (filter.finish !== undefined && !filter.finish.test(row.subject)) continue;
      found.push(toBusMessage(row, 0));
      if (found.length >= options.limit) break;
    }
    return found;
  }

  async request(
    subject: string,
    payload: JsonValue,
    options: { readonly timeoutMs: number; readonly headers?: Readonly<Record<string, string>> },
  ): Promise<JsonValue> {
    this.assertOpen();
    return this.responders.request(subject, payload, options.timeoutMs, options.headers ?? {});
  }

  async respond(subject: string, handler: RequestHandler): Promise<Subscription> {
    this.assertOpen();
    return this.responders.add(subject, handler);
  }

  /** Stops every consumer (waiting for running handlers) and responder; the database stays open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.responders.clear();
    const running = [...this.consumers];
    this.consumers.clear();
    for (const entry of running) entry.stopListening();
    await Promise.all(running.map((entry) => entry.consumer.stop()));
  }

  private remember(config: StreamConfig): void {
    this.streams.set(config.name, { ...config, subjects: [...config.subjects] });
    this.routes.set(config.name, subjectPatternsMatcher(config.subjects));
  }

  private streamFor(subject: string): StreamConfig {
    for (const stream of this.streams.values()) {
      if (this.routes.get(stream.name)?.(subject) === true) return stream;
    }
    throw new NoStreamForSubjectError(subject);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('bus is closed');
  }
}
