import {
  DEAD_LETTER_STREAM,
  PermanentFailure,
  deadLetterSubject,
  type BusMessage,
  type ConsumerConfig,
  type DeadLetter,
  type MessageHandler,
  type Subscription,
} from '@burndown/ports';
import { CoalescedWrites } from '../coalesced-writes';
import type { EmbeddedDatabase } from '../embedded-database';
import { MESSAGE_COLUMNS, toBusMessage, type MessageRow } from './bus-schema';
import { appendMessages, newMessage } from './message-log';
import { subjectPatternRegex } from './subject-pattern';

export interface DurableConsumerOptions {
  /** Longest sleep when nothing is due and no publish wakes the consumer. */
  readonly pollIntervalMs: number;
  readonly deadLetterWindowMs: number;
  /** The dead-letter stream got a message: its consumers should look. */
  readonly onDeadLettered: () => void;
  readonly onError: (error: unknown) => void;
}

const DELETE_PENDING = 'DELETE FROM bus_pending WHERE stream = ? AND durable_name = ? AND sequence = ?';
const DUE_PENDING = `SELECT sequence FROM bus_pending WHERE stream = ? AND durable_name = ? AND due_at <= ?
  ORDER BY sequence LIMIT ?`;
const NEW_MESSAGES = 'SELECT sequence, subject FROM bus_messages WHERE stream = ? AND sequence > ? ORDER BY sequence LIMIT ?';
const NEW_MESSAGE_ROWS = `SELECT ${MESSAGE_COLUMNS} FROM bus_messages m WHERE m.stream = ? AND m.sequence > ? ORDER BY m.sequence LIMIT ?`;
const MESSAGE_BY_SEQUENCE = `SELECT ${MESSAGE_COLUMNS} FROM bus_messages m WHERE m.stream = ? AND m.sequence = ?`;
const INSERT_PENDING = 'INSERT INTO bus_pending (stream, durable_name, sequence, deliveries, due_at) VALUES (?, ?, ?, 1, ?)';
const TAKE = `UPDATE bus_pending SET deliveries = deliveries + 1, due_at = ?
  WHERE stream = ? AND durable_name = ? AND sequence = ? RETURNING deliveries`;
/** Rows of a stream scanned per claim when a filter skips most of them. */
const SCAN_PAGE = 1_000;

/**
 * One durable consumer: takes due messages (redeliveries first, then new ones past its scan
 * position) into `bus_pending` with a deadline of ackWait, runs the handler, and then acks
 * (deletes the pending row), naks (sets the next due time from the backoff) or dead-letters
 * (publishes to DEAD_LETTERS and deletes the pending row in one write). Progress lives in the
 * database, so a restarted process resumes where the last one acknowledged.
 */
export class DurableConsumer implements Subscription {
  private stopped = false;
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;
  private readonly inFlight = new Map<bigint, Promise<void>>();
  private readonly finished: Promise<void>;
  private readonly maxInFlight: number;
  private readonly filter: RegExp | undefined;
  /** Acks of handlers finishing together are one write. */
  private readonly acks: CoalescedWrites<bigint, void>;

  private constructor(
    private readonly db: EmbeddedDatabase,
    private readonly config: ConsumerConfig,
    private readonly handler: MessageHandler,
    private readonly options: DurableConsumerOptions,
  ) {
    this.maxInFlight = config.maxInFlight ?? 1;
    this.filter = config.filterSubject === undefined ? undefined : new RegExp(subjectPatternRegex(config.filterSubject));
    this.acks = new CoalescedWrites(db, (sequences) =>
      sequences.map((sequence) => void this.db.run(DELETE_PENDING, [config.stream, config.durableName, sequence])),
    );
    this.finished = this.run();
  }

  /**
   * Registers the durable (keeping its position if it exists) and makes whatever an earlier
   * process took but never acknowledged due now: one process owns the data directory, so those
   * handlers are certainly dead.
   */
  static async start(db: EmbeddedDatabase, config: ConsumerConfig, handler: MessageHandler, options: DurableConsumerOptions): Promise<DurableConsumer> {
    await db.write(() => {
      db.run(
        `INSERT INTO bus_consumers (stream, durable_name, filter_subject) VALUES (?, ?, ?)
         ON CONFLICT (stream, durable_name) DO UPDATE SET filter_subject = excluded.filter_subject`,
        [config.stream, config.durableName, config.filterSubject ?? null],
      );
      db.run('UPDATE bus_pending SET due_at = ? WHERE stream = ? AND durable_name = ?', [Date.now(), config.stream, config.durableName]);
    });
    return new DurableConsumer(db, config, handler, options);
  }

  /** A message was published to this consumer's stream. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.finished;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.wakeRequested = false;
      const room = this.maxInFlight - this.inFlight.size;
      if (room <= 0) {
        // A finishing handler wakes the loop.
        await this.sleep(this.options.pollIntervalMs);
        continue;
      }
      let claimed: readonly BusMessage[];
      try {
        claimed = await this.db.write(() => this.claim(room));
      } catch (error) {
        if (this.stopped) break;
        this.options.onError(error);
        await this.sleep(this.options.pollIntervalMs);
        continue;
      }
      for (const message of claimed) {
        const settled = this.deliver(message).finally(() => {
          this.inFlight.delete(message.sequence);
          this.wake();
        });
        this.inFlight.set(message.sequence, settled);
      }
      if (claimed.length === 0) await this.sleep(this.msUntilNextDue());
    }
    await Promise.all(this.inFlight.values());
  }

  /** Runs inside a write: due redeliveries first, then new messages, each marked taken until ackWait. */
  private claim(limit: number): BusMessage[] {
    const { stream, durableName, ackWaitMs } = this.config;
    const now = Date.now();
    const due = this.db
      .all<{ sequence: bigint }>(DUE_PENDING, [stream, durableName, now, limit + this.inFlight.size], true)
      .map((row) => row.sequence)
      .filter((sequence) => !this.inFlight.has(sequence))
      .slice(0, limit);
    const messages: BusMessage[] = [];
    for (const sequence of due) {
      const taken = this.db.get<{ deliveries: number }>(TAKE, [now + ackWaitMs, stream, durableName, sequence]);
      const row = this.db.get<MessageRow>(MESSAGE_BY_SEQUENCE, [stream, sequence], true);
      if (taken !== undefined && row !== undefined) messages.push(toBusMessage(row, taken.deliveries));
    }
    if (messages.length < limit) messages.push(...this.takeNew(limit - messages.length, now + ackWaitMs));
    return messages;
  }

  /**
   * Moves the scan position past up to `limit` new matching messages and marks them taken (first
   * delivery, due again at `dueAt`). A filtered consumer scans subjects only and reads the few
   * rows it takes; an unfiltered one reads whole rows in the scan.
   */
  private takeNew(limit: number, dueAt: number): BusMessage[] {
    const { stream, durableName } = this.config;
    const consumer = this.db.get<{ delivered_through: bigint }>(
      'SELECT delivered_through FROM bus_consumers WHERE stream = ? AND durable_name = ?',
      [stream, durableName],
      true,
    );
    let through = consumer?.delivered_through ?? 0n;
    const taken: BusMessage[] = [];
    scan: for (;;) {
      const page = Math.min(SCAN_PAGE, this.filter === undefined ? limit - taken.length : SCAN_PAGE);
      const rows =
        this.filter === undefined
          ? this.db.all<MessageRow>(NEW_MESSAGE_ROWS, [stream, through, page], true)
          : this.db.all<{ sequence: bigint; subject: string }>(NEW_MESSAGES, [stream, through, page], true);
      for (const row of rows) {
        through = row.sequence;
        if (this.filter !== undefined && !this.filter.test(row.subject)) continue;
        const full = 'payload' in row ? (row as MessageRow) : this.db.get<MessageRow>(MESSAGE_BY_SEQUENCE, [stream, row.sequence], true);
        if (full === undefined) continue;
        taken.push(toBusMessage(full, 1));
        if (taken.length === limit) break scan;
      }
      if (rows.length < page) break;
    }
    this.db.run('UPDATE bus_consumers SET delivered_through = ? WHERE stream = ? AND durable_name = ?', [through, stream, durableName]);
    for (const message of taken) this.db.run(INSERT_PENDING, [stream, durableName, message.sequence, dueAt]);
    return taken;
  }

  private async deliver(message: BusMessage): Promise<void> {
    try {
      await this.handler(message);
    } catch (error) {
      await this.settleFailure(message, error);
      return;
    }
    await this.settle(() => this.acks.add(message.sequence));
  }

  private async settleFailure(message: BusMessage, error: unknown): Promise<void> {
    const permanent = error instanceof PermanentFailure;
    if (permanent || message.deliveryCount >= this.config.maxDeliver) {
      await this.settle(() => this.deadLetter(message, error, permanent));
      this.options.onDeadLettered();
      return;
    }
    const { backoffMs } = this.config;
    const delayMs = backoffMs[Math.min(message.deliveryCount - 1, backoffMs.length - 1)] ?? 0;
    await this.settle(() =>
      this.db.write(() =>
        this.db.run('UPDATE bus_pending SET due_at = ? WHERE stream = ? AND durable_name = ? AND sequence = ?', [
          Date.now() + delayMs,
          this.config.stream,
          this.config.durableName,
          message.sequence,
        ]),
      ),
    );
  }

  private async deadLetter(message: BusMessage, error: unknown, permanent: boolean): Promise<void> {
    const { stream, durableName } = this.config;
    const detail = error instanceof Error ? error.message : String(error);
    const deadLetter: DeadLetter = {
      stream,
      consumer: durableName,
      subject: message.subject,
      msgId: message.msgId,
      sequence: String(message.sequence),
      deliveries: message.deliveryCount,
      reason: permanent ? `permanent failure: ${detail}` : `failed ${message.deliveryCount} times: ${detail}`,
      payload: message.payload,
      headers: message.headers,
      failedAt: new Date().toISOString(),
    };
    const letter = newMessage(deadLetterSubject(durableName), `${stream}:${durableName}:${String(message.sequence)}`, deadLetter, {});
    await this.db.write(() => {
      appendMessages(this.db, [{ stream: { name: DEAD_LETTER_STREAM, duplicateWindowMs: this.options.deadLetterWindowMs }, message: letter }]);
      this.db.run(DELETE_PENDING, [stream, durableName, message.sequence]);
    });
  }

  /** An ack that cannot be written leaves the message pending: it is redelivered after ackWait. */
  private async settle(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!this.stopped) this.options.onError(error);
    }
  }

  /** How long until a message not in flight here becomes due, at most the poll interval. */
  private msUntilNextDue(): number {
    try {
      const rows = this.db.all<{ sequence: bigint; due_at: number }>(
        'SELECT sequence, due_at FROM bus_pending WHERE stream = ? AND durable_name = ? ORDER BY due_at LIMIT ?',
        [this.config.stream, this.config.durableName, this.inFlight.size + 1],
        true,
      );
      const next = rows.find((row) => !this.inFlight.has(row.sequence));
      if (next === undefined) return this.options.pollIntervalMs;
      return Math.max(0, Math.min(this.options.pollIntervalMs, Number(next.due_at) - Date.now()));
    } catch {
      return this.options.pollIntervalMs;
    }
  }

  private async sleep(ms: number): Promise<void> {
    if (this.stopped || this.wakeRequested) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
    this.wakeUp = undefined;
  }
}
