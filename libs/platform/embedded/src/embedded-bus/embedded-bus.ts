import {
  DEAD_LETTER_STREAM,
  DEAD_LETTER_SUBJECT_PREFIX,
  NoStreamForSubjectError,
  subjectMatches,
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
  type Subscription,
} from '@burndown/ports';
import type { EmbeddedDatabase } from '../embedded-database';
import { BUS_SCHEMA, MESSAGE_COLUMNS, toBusMessage, type MessageRow } from './bus-schema';
import { DurableConsumer } from './durable-consumer';
import { appendByStream } from './message-log';
import { Responders } from './responders';
import { isValidSubject, subjectPatternRegex } from './subject-pattern';

export interface EmbeddedBusOptions {
  /** Longest a consumer sleeps without a wake-up before it looks for due messages again. */
  readonly pollIntervalMs?: number;
  /** How long a dead letter's id is remembered (it is keyed by stream, consumer and sequence). */
  readonly deadLetterWindowMs?: number;
  /** An ack or a read failed inside a consumer; defaults to console.error. */
  readonly onConsumerError?: (error: unknown) => void;
}

interface RunningConsumer {
  readonly stream: string;
  readonly durableName: string;
  readonly consumer: DurableConsumer;
}

const DEFAULT_POLL_INTERVAL_MS = 1_000;
const DAY_MS = 86_400_000;

/**
 * The durable in-process bus of embedded mode: JetStream's semantics (streams, msg-id dedupe within
 * a window, durable consumers with ack, backoff, max deliveries and a dead-letter stream, core
 * request/reply) on the embedded PGlite database, so a message survives a kill -9 the moment
 * publish() resolves.
 */
/** Most publishes stored in one transaction. */
const MAX_PUBLISH_BATCH = 500;

export class EmbeddedBus implements MessageBus {
  private readonly unpublished: {
    readonly stream: StreamConfig;
    readonly message: { subject: string; msgId: string; payload: JsonValue; headers: Record<string, string> };
    resolve(ack: PublishAck): void;
    reject(error: unknown): void;
  }[] = [];
  private publishing = false;

  private readonly streams = new Map<string, StreamConfig>();
  private readonly consumers = new Set<RunningConsumer>();
  private readonly responders = new Responders();
  private closed = false;

  private constructor(
    private readonly db: EmbeddedDatabase,
    private readonly options: Required<EmbeddedBusOptions>,
  ) {}

  /** Creates the bus_ tables and the dead-letter stream. The caller keeps owning the database. */
  static async create(db: EmbeddedDatabase, options: EmbeddedBusOptions = {}): Promise<EmbeddedBus> {
    await db.exec(BUS_SCHEMA);
    const bus = new EmbeddedBus(db, {
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      deadLetterWindowMs: options.deadLetterWindowMs ?? DAY_MS,
      onConsumerError:
        options.onConsumerError ?? ((error) => console.error('embedded bus consumer: retrying after', error)),
    });
    const { rows } = await db.query<{ name: string; subjects: string[]; window_ms: string }>(
      'SELECT name, subjects, duplicate_window_ms::text AS window_ms FROM bus_streams',
    );
    for (const row of rows) {
      bus.streams.set(row.name, {
        name: row.name,
        subjects: row.subjects,
        duplicateWindowMs: Number(row.window_ms),
      });
    }
    await bus.ensureStream({
      name: DEAD_LETTER_STREAM,
      subjects: [`${DEAD_LETTER_SUBJECT_PREFIX}.>`],
      duplicateWindowMs: bus.options.deadLetterWindowMs,
    });
    return bus;
  }

  async ensureStream(config: StreamConfig): Promise<void> {
    this.assertOpen();
    if (!/^[A-Za-z0-9_-]+$/.test(config.name)) throw new RangeError(`stream name ${config.name} is not allowed`);
    if (config.subjects.length === 0) throw new RangeError(`stream ${config.name} has no subjects`);
    for (const [name, other] of this.streams) {
      const overlap = config.subjects.find((subject) => other.subjects.includes(subject));
      if (name !== config.name && overlap !== undefined) {
        throw new RangeError(`stream ${config.name}: subject ${overlap} already belongs to stream ${name}`);
      }
    }
    await this.db.query(
      `INSERT INTO bus_streams (name, subjects, duplicate_window_ms) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (name) DO UPDATE SET subjects = EXCLUDED.subjects,
         duplicate_window_ms = EXCLUDED.duplicate_window_ms`,
      [config.name, JSON.stringify(config.subjects), config.duplicateWindowMs],
    );
    this.streams.set(config.name, { ...config, subjects: [...config.subjects] });
  }

  async publish(subject: string, payload: JsonValue, options: PublishOptions): Promise<PublishAck> {
    this.assertOpen();
    if (!isValidSubject(subject)) throw new RangeError(`subject ${JSON.stringify(subject)} is not a valid subject`);
    if (options.msgId.length === 0) throw new RangeError(`publish to ${subject}: msgId is empty`);
    const stream = this.streamFor(subject);
    return new Promise<PublishAck>((resolve, reject) => {
      this.unpublished.push({ stream, message: { subject, msgId: options.msgId, payload, headers: { ...options.headers } }, resolve, reject });
      if (!this.publishing) {
        this.publishing = true;
        setImmediate(() => void this.publishWaiting());
      }
    });
  }

  /**
   * Group commit: publishes that arrive together are stored in one transaction (each still
   * deduplicated in order), and each resolves only once that transaction has committed.
   */
  private async publishWaiting(): Promise<void> {
    while (this.unpublished.length > 0) {
      const batch = this.unpublished.splice(0, MAX_PUBLISH_BATCH);
      try {
        const acks = await this.db.transaction((tx) => appendByStream(tx, batch));
        const woken = new Set<string>();
        batch.forEach(({ stream, resolve }, index) => {
          const ack = acks[index] as PublishAck;
          if (!ack.duplicate) woken.add(stream.name);
          resolve(ack);
        });
        for (const name of woken) this.wakeConsumersOf(name);
      } catch (error) {
        for (const { reject } of batch) reject(error);
      }
    }
    this.publishing = false;
  }

  async consume(config: ConsumerConfig, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen();
    if (!this.streams.has(config.stream)) throw new RangeError(`consumer ${config.durableName}: no stream ${config.stream}`);
    if (!(config.maxDeliver >= 1)) throw new RangeError(`consumer ${config.durableName}: maxDeliver must be at least 1`);
    for (const entry of this.consumers) {
      if (entry.stream === config.stream && entry.durableName === config.durableName) {
        throw new Error(`consumer ${config.durableName} on ${config.stream} is already running in this process`);
      }
    }
    const consumer = await DurableConsumer.start(this.db, config, handler, {
      pollIntervalMs: this.options.pollIntervalMs,
      deadLetterWindowMs: this.options.deadLetterWindowMs,
      onDeadLettered: () => this.wakeConsumersOf(DEAD_LETTER_STREAM),
      onError: this.options.onConsumerError,
    });
    const entry: RunningConsumer = { stream: config.stream, durableName: config.durableName, consumer };
    this.consumers.add(entry);
    return {
      stop: async () => {
        this.consumers.delete(entry);
        await consumer.stop();
      },
    };
  }

  async browse(stream: string, options: BrowseOptions): Promise<readonly BusMessage[]> {
    this.assertOpen();
    const { rows } = await this.db.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM bus_messages m
       WHERE m.stream = $1 AND m.sequence > $2::bigint AND ($3::text IS NULL OR m.subject ~ $3::text)
       ORDER BY m.sequence LIMIT $4`,
      [
        stream,
        String(options.afterSequence ?? 0n),
        options.filterSubject === undefined ? null : subjectPatternRegex(options.filterSubject),
        options.limit,
      ],
    );
    return rows.map((row) => toBusMessage(row, 0));
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
    await Promise.all(running.map((entry) => entry.consumer.stop()));
  }

  private streamFor(subject: string): StreamConfig {
    for (const stream of this.streams.values()) {
      if (stream.subjects.some((pattern) => subjectMatches(pattern, subject))) return stream;
    }
    throw new NoStreamForSubjectError(subject);
  }

  private wakeConsumersOf(stream: string): void {
    for (const entry of this.consumers) if (entry.stream === stream) entry.consumer.wake();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('bus is closed');
  }
}
