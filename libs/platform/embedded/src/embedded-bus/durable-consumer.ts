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
import { AckFloor } from './ack-floor';
import type { EmbeddedDatabase } from '../embedded-database';
import { MESSAGE_COLUMNS, toBusMessage, type MessageRow } from './bus-schema';
import { appendMessages, newMessage } from './message-log';
import { MessageScan } from './message-scan';

export interface DurableConsumerOptions {
  /** The subject patterns of the consumer's stream (a filter equal to its one pattern is none). */
  readonly streamSubjects: readonly string[];
  /** Longest sleep when nothing is due and no publish wakes the consumer. */
  readonly pollIntervalMs: number;
  readonly deadLetterWindowMs: number;
  /** The dead-letter stream got a message: its consumers should look. */
  readonly onDeadLettered: () => void;
  readonly onError: (error: unknown) => void;
}

const DELETE_PENDING =
  'DELETE FROM bus_pending WHERE stream = ? AND durable_name = ? AND sequence = ?';
const DUE_PENDING = `SELECT sequence FROM bus_pending WHERE stream = ? AND durable_name = ? AND due_at <= ?
  ORDER BY sequence LIMIT ?`;
const MESSAGE_BY_SEQUENCE = `SELECT ${MESSAGE_COLUMNS} FROM bus_messages m WHERE m.stream = ? AND m.sequence = ?`;
const PARK = `INSERT INTO bus_pending (stream, durable_name, sequence, deliveries, due_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (stream, durable_name, sequence) DO UPDATE SET deliveries = excluded.deliveries, due_at = excluded.due_at`;
const TAKE = `UPDATE bus_pending SET deliveries = deliveries + 1, due_at = ?
  WHERE stream = ? AND durable_name = ? AND sequence = ? RETURNING deliveries`;

/**
 * One durable consumer. New messages are taken past its scan position and handed to handlers with
 * nothing written per message: acks move the consumer's ack floor (one update per group commit),
 * and after a crash everything between the floor and the scan position is delivered again. A
 * message that fails gets a row in `bus_pending` with its delivery count and when it is due again
 * (backoff); after maxDeliver failures, or a permanent one, it goes to DEAD_LETTERS with its
 * reason, in one write with its settlement. Progress lives in the database, so a restarted process
 * resumes where the last one left off.
 */
export class DurableConsumer implements Subscription {
  private stopped = false;
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;
  private readonly inFlight = new Map<bigint, Promise<void>>();
  /** In flight and taken from a `bus_pending` row: its row goes when it is acked or dead-lettered. */
  private readonly withRow = new Set<bigint>();
  /**
   * Rows this consumer has in `bus_pending` (parked or in flight), counted as it writes them: while
   * there are none, a wake-up asks nothing of `bus_pending`. Only this consumer writes its rows (one
   * process owns the data directory); should the count ever fall short, a look at least once per
   * poll interval still finds them.
   */
  private pendingRows: number;
  private lastDueLookMs = -Infinity;
  /** With a batch interval: when the last claim ran, and whether it took all the room there was. */
  private lastClaimMs = -Infinity;
  private lastClaimFull = false;
  private endPause: (() => void) | undefined;
  private readonly finished: Promise<void>;
  private readonly maxInFlight: number;
  private readonly scan: MessageScan;
  private readonly floor: AckFloor;
  /** Acks of handlers finishing together are one write: rows of retried messages, then the floor. */
  private readonly acks: CoalescedWrites<bigint, void>;

  private constructor(
    private readonly db: EmbeddedDatabase,
    private readonly config: ConsumerConfig,
    private readonly handler: MessageHandler,
    private readonly options: DurableConsumerOptions,
    /** Where the scan goes on from: the floor a crash left, or where the last process stopped. */
    private scannedThrough: bigint,
    /** Messages up to here may have been delivered before this process started: delivery count 2. */
    private readonly deliveredBefore: bigint,
    /** Sequences with a retry row, scanned again after a restart: they come through their row. */
    private readonly parkedBefore: ReadonlySet<bigint>,
  ) {
    this.maxInFlight = config.maxInFlight ?? 1;
    this.pendingRows = parkedBefore.size;
    this.scan = new MessageScan(db, config.stream, config.filterSubject, options.streamSubjects);
    this.floor = new AckFloor(scannedThrough);
    // An ack only follows the handler's own durable writes, and a lost one (power loss before the
    // next sync) redelivers what idempotent handlers have done: it need not wait for the sync.
    this.acks = new CoalescedWrites(
      db,
      (sequences) => {
        for (const sequence of sequences) {
          if (this.withRow.delete(sequence)) {
            this.db.run(DELETE_PENDING, [config.stream, config.durableName, sequence]);
            this.pendingRows--;
          }
        }
        this.saveFloor();
        return sequences.map(() => undefined);
      },
      false,
    );
    this.finished = this.run();
  }

  /**
   * Registers the durable (keeping its position if it exists) and makes whatever an earlier
   * process parked for a retry due now: one process owns the data directory, so no handler of
   * the last one is still running.
   */
  static async start(
    db: EmbeddedDatabase,
    config: ConsumerConfig,
    handler: MessageHandler,
    options: DurableConsumerOptions,
  ): Promise<DurableConsumer> {
    const { stream, durableName } = config;
    const position = await db.write(() => {
      if (config.takesOverFrom !== undefined && config.takesOverFrom.length > 0)
        takeOver(db, stream, durableName, config.takesOverFrom);
      db.run(
        `INSERT INTO bus_consumers (stream, durable_name, filter_subject) VALUES (?, ?, ?)
         ON CONFLICT (stream, durable_name) DO UPDATE SET filter_subject = excluded.filter_subject`,
        [stream, durableName, config.filterSubject ?? null],
      );
      db.run('UPDATE bus_pending SET due_at = ? WHERE stream = ? AND durable_name = ?', [
        Date.now(),
        stream,
        durableName,
      ]);
      const parked = db.all<{ sequence: bigint }>(
        'SELECT sequence FROM bus_pending WHERE stream = ? AND durable_name = ?',
        [stream, durableName],
        true,
      );
      const row = db.get<{ delivered_through: bigint; ack_floor: bigint }>(
        'SELECT delivered_through, ack_floor FROM bus_consumers WHERE stream = ? AND durable_name = ?',
        [stream, durableName],
        true,
      );
      return {
        parked: new Set(parked.map(({ sequence }) => sequence)),
        deliveredThrough: row?.delivered_through ?? 0n,
        ackFloor: row?.ack_floor ?? 0n,
      };
    });
    return new DurableConsumer(
      db,
      config,
      handler,
      options,
      position.ackFloor,
      position.deliveredThrough,
      position.parked,
    );
  }

  /** A message was published to this consumer's stream. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    this.endPause?.();
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
      await this.waitForBatchInterval();
      if (this.stopped) break;
      let claimed: readonly BusMessage[];
      try {
        claimed = await this.claim(room);
        this.lastClaimMs = Date.now();
        this.lastClaimFull = claimed.length >= room;
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

  /**
   * Messages parked for a retry that are due first, then new ones. Both are read outside any
   * write (see MessageScan); the write that follows only takes the due rows and moves the scan
   * position on, and nothing is delivered, nor the scan moved in memory, before it commits.
   */
  private async claim(limit: number): Promise<BusMessage[]> {
    const { stream, durableName, ackWaitMs } = this.config;
    const due = this.mayHaveDueRows()
      ? this.db
          .all<{ sequence: bigint }>(
            DUE_PENDING,
            [stream, durableName, Date.now(), limit + this.inFlight.size],
            true,
          )
          .map((row) => row.sequence)
          .filter((sequence) => !this.inFlight.has(sequence))
          .slice(0, limit)
      : [];
    const page =
      due.length < limit
        ? this.scan.next(this.scannedThrough, limit - due.length)
        : { rows: [], through: this.scannedThrough };
    // Parked before a restart: those come again through their row, not through the scan.
    const fresh = page.rows.filter(
      (row) => !(row.sequence <= this.deliveredBefore && this.parkedBefore.has(row.sequence)),
    );
    if (due.length === 0 && page.through === this.scannedThrough) return [];
    // Delivered at COMMIT, not after the sync: the position only says what may have been delivered
    // (a delivery count after a restart), and a process killed now keeps it (the OS holds it).
    const retried = await this.db.writeCommitted(() => {
      const taken: { row: MessageRow; deliveries: number }[] = [];
      for (const sequence of due) {
        const take = this.db.get<{ deliveries: number }>(TAKE, [
          Date.now() + ackWaitMs,
          stream,
          durableName,
          sequence,
        ]);
        const row = this.db.get<MessageRow>(MESSAGE_BY_SEQUENCE, [stream, sequence], true);
        if (take !== undefined && row !== undefined)
          taken.push({ row, deliveries: take.deliveries });
      }
      if (page.through > this.scannedThrough) {
        this.db.run(
          'UPDATE bus_consumers SET delivered_through = max(delivered_through, ?) WHERE stream = ? AND durable_name = ?',
          [page.through, stream, durableName],
        );
        // Nothing new taken (all filtered out): the floor may follow the scan.
        if (fresh.length === 0) this.saveFloor(page.through);
      }
      return taken;
    });
    if (page.through > this.scannedThrough) this.scannedThrough = page.through;
    const messages = retried.map(({ row, deliveries }) => {
      this.withRow.add(row.sequence);
      return toBusMessage(row, deliveries);
    });
    for (const row of fresh) {
      this.floor.take(row.sequence);
      messages.push(toBusMessage(row, row.sequence <= this.deliveredBefore ? 2 : 1));
    }
    return messages;
  }

  /** Inside a write: the floor as it stands now. */
  private saveFloor(scannedThrough = this.scannedThrough): void {
    this.db.run('UPDATE bus_consumers SET ack_floor = ? WHERE stream = ? AND durable_name = ?', [
      this.floor.current(scannedThrough),
      this.config.stream,
      this.config.durableName,
    ]);
  }

  private async deliver(message: BusMessage): Promise<void> {
    try {
      await this.handler(message);
    } catch (error) {
      await this.settleFailure(message, error);
      return;
    }
    this.floor.settle(message.sequence);
    await this.settle(() => this.acks.add(message.sequence));
  }

  private async settleFailure(message: BusMessage, error: unknown): Promise<void> {
    const permanent = error instanceof PermanentFailure;
    if (permanent || message.deliveryCount >= this.config.maxDeliver) {
      await this.settle(() => this.deadLetter(message, error, permanent));
      this.options.onDeadLettered();
      return;
    }
    const { backoffMs, stream, durableName } = this.config;
    const delayMs = backoffMs[Math.min(message.deliveryCount - 1, backoffMs.length - 1)] ?? 0;
    // Parked with its count and due time: from then on the floor may pass it.
    await this.settle(() =>
      this.db.write(() => {
        if (!this.withRow.has(message.sequence)) this.pendingRows++;
        this.db.run(PARK, [
          stream,
          durableName,
          message.sequence,
          message.deliveryCount,
          Date.now() + delayMs,
        ]);
        this.withRow.delete(message.sequence);
        this.floor.settle(message.sequence);
      }),
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
      reason: permanent
        ? `permanent failure: ${detail}`
        : `failed ${message.deliveryCount} times: ${detail}`,
      payload: message.payload,
      headers: message.headers,
      failedAt: new Date().toISOString(),
    };
    const letter = newMessage(
      deadLetterSubject(durableName),
      `${stream}:${durableName}:${String(message.sequence)}`,
      deadLetter,
      {},
    );
    await this.db.write(() => {
      appendMessages(this.db, [
        {
          stream: { name: DEAD_LETTER_STREAM, duplicateWindowMs: this.options.deadLetterWindowMs },
          message: letter,
        },
      ]);
      this.db.run(DELETE_PENDING, [stream, durableName, message.sequence]);
      if (this.withRow.delete(message.sequence)) this.pendingRows--;
      this.floor.settle(message.sequence);
      this.saveFloor();
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

  /** False while this consumer has no row in `bus_pending` and looked within the poll interval. */
  private mayHaveDueRows(): boolean {
    const nowMs = Date.now();
    if (this.pendingRows > 0 || nowMs - this.lastDueLookMs >= this.options.pollIntervalMs) {
      this.lastDueLookMs = nowMs;
      return true;
    }
    return false;
  }

  /** How long until a parked message not in flight here becomes due, at most the poll interval. */
  private msUntilNextDue(): number {
    if (this.pendingRows <= 0) return this.options.pollIntervalMs;
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

  /**
   * A consumer with `batchIntervalMs` claims at most once per interval (publishes do not cut the
   * wait short; stop() does), unless its last claim came back full: a backlog goes on at once.
   */
  private async waitForBatchInterval(): Promise<void> {
    const interval = this.config.batchIntervalMs;
    if (interval === undefined || interval <= 0 || this.lastClaimFull) return;
    const waitMs = this.lastClaimMs + interval - Date.now();
    if (waitMs <= 0 || this.stopped) return;
    await cuttableWait(waitMs, (cut) => (this.endPause = cut));
  }

  private async sleep(ms: number): Promise<void> {
    if (this.stopped || this.wakeRequested) return;
    await cuttableWait(ms, (cut) => (this.wakeUp = cut));
  }
}

/** Waits `ms`, or less if the function handed to `exposeCut` is called first; then hides it again. */
async function cuttableWait(
  ms: number,
  exposeCut: (cut: (() => void) | undefined) => void,
): Promise<void> {
  await new Promise<void>((resolve) => {
    const cut = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(cut, ms);
    exposeCut(cut);
  });
  exposeCut(undefined);
}

/**
 * Inside the write that registers `durableName`, if it is new: it starts at the lowest ack floor
 * of the durables it takes over from (and counts as delivered what any of them delivered), and
 * their retry rows become its own. Their rows stay, so they could resume where they were.
 */
function takeOver(
  db: EmbeddedDatabase,
  stream: string,
  durableName: string,
  from: readonly string[],
): void {
  const exists = db.get(
    'SELECT 1 AS found FROM bus_consumers WHERE stream = ? AND durable_name = ?',
    [stream, durableName],
  );
  if (exists !== undefined) return;
  const marks = from.map(() => '?').join(', ');
  const previous = db.get<{ floor: bigint | null; delivered: bigint | null }>(
    `SELECT min(ack_floor) AS floor, max(delivered_through) AS delivered FROM bus_consumers
     WHERE stream = ? AND durable_name IN (${marks})`,
    [stream, ...from],
    true,
  );
  if (previous?.floor === null || previous?.floor === undefined) return;
  db.run(
    `INSERT INTO bus_consumers (stream, durable_name, filter_subject, delivered_through, ack_floor)
     VALUES (?, ?, NULL, ?, ?)`,
    [stream, durableName, previous.delivered ?? previous.floor, previous.floor],
  );
  db.run(
    `INSERT OR IGNORE INTO bus_pending (stream, durable_name, sequence, deliveries, due_at)
     SELECT stream, ?, sequence, deliveries, due_at FROM bus_pending
     WHERE stream = ? AND durable_name IN (${marks})`,
    [durableName, stream, ...from],
  );
}
