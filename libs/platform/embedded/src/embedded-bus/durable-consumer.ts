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
import { GroupCommit } from '@burndown/decider-kit';
import type { EmbeddedDatabase, Sql } from '../embedded-database';
import { MESSAGE_COLUMNS, toBusMessage, type MessageRow } from './bus-schema';
import { appendMessage } from './message-log';
import { subjectPatternRegex } from './subject-pattern';

export interface DurableConsumerOptions {
  /** Longest sleep when nothing is due and no publish wakes the consumer. */
  readonly pollIntervalMs: number;
  readonly deadLetterWindowMs: number;
  /** The dead-letter stream got a message: its consumers should look. */
  readonly onDeadLettered: () => void;
  readonly onError: (error: unknown) => void;
}

interface Claimed {
  readonly message: BusMessage;
}

/**
 * One durable consumer: takes due messages (redeliveries first, then new ones past its scan
 * position) into `bus_pending` with a deadline of ackWait, runs the handler, and then acks
 * (deletes the pending row), naks (sets the next due time from the backoff) or dead-letters
 * (publishes to DEAD_LETTERS and deletes the pending row in one transaction). Progress lives in
 * the database, so a restarted process resumes where the last one acknowledged.
 */
export class DurableConsumer implements Subscription {
  private stopped = false;
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;
  private readonly inFlight = new Map<bigint, Promise<void>>();
  private readonly finished: Promise<void>;
  private readonly maxInFlight: number;
  private readonly filterRegex: string | null;
  /** Acks of handlers finishing together are one DELETE. */
  private readonly acks = new GroupCommit<string>(async (sequences) => {
    await this.db.query('DELETE FROM bus_pending WHERE stream = $1 AND durable_name = $2 AND sequence = ANY($3::bigint[])', [
      this.config.stream,
      this.config.durableName,
      sequences,
    ]);
  });

  private constructor(
    private readonly db: EmbeddedDatabase,
    private readonly config: ConsumerConfig,
    private readonly handler: MessageHandler,
    private readonly options: DurableConsumerOptions,
  ) {
    this.maxInFlight = config.maxInFlight ?? 1;
    this.filterRegex = config.filterSubject === undefined ? null : subjectPatternRegex(config.filterSubject);
    this.finished = this.run();
  }

  /**
   * Registers the durable (keeping its position if it exists) and makes whatever an earlier
   * process took but never acknowledged due now: one process owns the data directory, so those
   * handlers are certainly dead.
   */
  static async start(
    db: EmbeddedDatabase,
    config: ConsumerConfig,
    handler: MessageHandler,
    options: DurableConsumerOptions,
  ): Promise<DurableConsumer> {
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO bus_consumers (stream, durable_name, filter_subject) VALUES ($1, $2, $3)
         ON CONFLICT (stream, durable_name) DO UPDATE SET filter_subject = EXCLUDED.filter_subject`,
        [config.stream, config.durableName, config.filterSubject ?? null],
      );
      await tx.query(
        `UPDATE bus_pending SET due_at = clock_timestamp() WHERE stream = $1 AND durable_name = $2`,
        [config.stream, config.durableName],
      );
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
      let claimed: readonly Claimed[];
      try {
        claimed = await this.claim(room);
      } catch (error) {
        if (this.stopped) break;
        this.options.onError(error);
        await this.sleep(this.options.pollIntervalMs);
        continue;
      }
      for (const { message } of claimed) {
        const settled = this.deliver(message).finally(() => {
          this.inFlight.delete(message.sequence);
          this.wake();
        });
        this.inFlight.set(message.sequence, settled);
      }
      if (claimed.length === 0) await this.sleep(await this.msUntilNextDue());
    }
    await Promise.all(this.inFlight.values());
  }

  private async claim(limit: number): Promise<readonly Claimed[]> {
    const { stream, durableName, ackWaitMs } = this.config;
    const busy = [...this.inFlight.keys()].map(String);
    return this.db.transaction(async (tx) => {
      const { rows: due } = await tx.query<{ sequence_text: string }>(
        `SELECT sequence::text AS sequence_text FROM bus_pending
         WHERE stream = $1 AND durable_name = $2 AND due_at <= clock_timestamp()
           AND NOT (sequence = ANY($3::bigint[]))
         ORDER BY sequence LIMIT $4`,
        [stream, durableName, busy, limit],
      );
      const sequences = due.map((row) => row.sequence_text);
      if (sequences.length < limit) {
        sequences.push(...(await this.takeNew(tx, limit - sequences.length)));
      }
      if (sequences.length === 0) return [];
      const { rows } = await tx.query<MessageRow & { deliveries: number }>(
        `UPDATE bus_pending p SET deliveries = p.deliveries + 1,
           due_at = clock_timestamp() + ($4::bigint * interval '1 millisecond')
         FROM bus_messages m
         WHERE p.stream = $1 AND p.durable_name = $2 AND p.sequence = ANY($3::bigint[])
           AND m.stream = p.stream AND m.sequence = p.sequence
         RETURNING ${MESSAGE_COLUMNS}, p.deliveries`,
        [stream, durableName, sequences, ackWaitMs],
      );
      return rows
        .map((row) => ({ message: toBusMessage(row, row.deliveries) }))
        .sort((a, b) => (a.message.sequence < b.message.sequence ? -1 : 1));
    });
  }

  /** Moves the scan position past up to `limit` new matching messages and marks them pending. */
  private async takeNew(tx: Sql, limit: number): Promise<string[]> {
    const { stream, durableName } = this.config;
    const { rows } = await tx.query<{ sequence_text: string }>(
      `SELECT m.sequence::text AS sequence_text FROM bus_messages m
       JOIN bus_consumers c ON c.stream = m.stream AND c.durable_name = $2
       WHERE m.stream = $1 AND m.sequence > c.delivered_through
         AND ($3::text IS NULL OR m.subject ~ $3::text)
       ORDER BY m.sequence LIMIT $4`,
      [stream, durableName, this.filterRegex, limit],
    );
    const sequences = rows.map((row) => row.sequence_text);
    // Fewer than asked: everything up to the stream's end has been seen, matching or not.
    await tx.query(
      `UPDATE bus_consumers SET delivered_through = CASE WHEN $3::bigint IS NULL
           THEN (SELECT last_sequence FROM bus_streams WHERE name = $1) ELSE $3::bigint END
       WHERE stream = $1 AND durable_name = $2`,
      [stream, durableName, sequences.length < limit ? null : sequences[sequences.length - 1]],
    );
    if (sequences.length > 0) {
      await tx.query(
        `INSERT INTO bus_pending (stream, durable_name, sequence, due_at)
         SELECT $1, $2, s, clock_timestamp() FROM unnest($3::bigint[]) AS s`,
        [stream, durableName, sequences],
      );
    }
    return sequences;
  }

  private async deliver(message: BusMessage): Promise<void> {
    try {
      await this.handler(message);
    } catch (error) {
      await this.settleFailure(message, error);
      return;
    }
    await this.settle(() => this.acks.add(String(message.sequence)));
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
      this.db.query(
        `UPDATE bus_pending SET due_at = clock_timestamp() + ($4::bigint * interval '1 millisecond')
         WHERE stream = $1 AND durable_name = $2 AND sequence = $3::bigint`,
        [this.config.stream, this.config.durableName, String(message.sequence), delayMs],
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
    await this.db.transaction(async (tx) => {
      await appendMessage(tx, DEAD_LETTER_STREAM, this.options.deadLetterWindowMs, {
        subject: deadLetterSubject(durableName),
        msgId: `${stream}:${durableName}:${String(message.sequence)}`,
        payload: deadLetter,
        headers: {},
      });
      await tx.query(
        'DELETE FROM bus_pending WHERE stream = $1 AND durable_name = $2 AND sequence = $3::bigint',
        [stream, durableName, String(message.sequence)],
      );
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

  private async msUntilNextDue(): Promise<number> {
    try {
      const { rows } = await this.db.query<{ wait_ms: string | null }>(
        `SELECT ceil(extract(epoch FROM (min(due_at) - clock_timestamp())) * 1000)::text AS wait_ms
         FROM bus_pending WHERE stream = $1 AND durable_name = $2
           AND NOT (sequence = ANY($3::bigint[]))`,
        [this.config.stream, this.config.durableName, [...this.inFlight.keys()].map(String)],
      );
      const waitMs = rows[0]?.wait_ms;
      if (waitMs === null || waitMs === undefined) return this.options.pollIntervalMs;
      return Math.max(0, Math.min(this.options.pollIntervalMs, Number(waitMs)));
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
