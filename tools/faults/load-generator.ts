import type { BurndownApi } from './burndown-api';
import type { Answer, EventBook, Submission } from './event-book';
import { LoadStats } from './load-stats';

export interface LoadOptions {
  readonly ratePerSecond: number;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly customers: readonly string[];
  /** Per submission; beyond it the event is given up on and reported unresolved. */
  readonly maxAttempts: number;
}

interface BatchResult {
  readonly index: number;
  readonly status: Answer;
  readonly errors?: unknown;
  readonly reason?: string;
}

/** Tokens per event: the default card burns 1 credit (1,000,000 micro-credits) per 1,000. */
export const LOAD_QUANTITY = '1000';
/** How long senders back off after a refused connection: ingestion is probably down. */
const NO_ANSWER_BACKOFF_MS = 250;

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/**
 * Offers usage at a steady rate whatever the services are doing, the way a customer's fleet
 * would: new events keep coming while ingestion is down and queue up; events not stored
 * (refused connection, 429, 503, `unavailable`) are sent again with the same id until ingestion
 * gives a definitive answer, so every id ends accepted, duplicate (stored earlier) or rejected.
 */
export class LoadGenerator {
  readonly stats = new LoadStats();
  private readonly fresh: Submission[] = [];
  private readonly retries: Submission[] = [];
  private pausedUntil = 0;
  private produced = 0;
  private pacingSince = 0;
  private pacer: NodeJS.Timeout | undefined;
  private senders: Promise<void>[] = [];
  private stopping = false;
  private inFlight = 0;

  constructor(
    private readonly api: BurndownApi,
    private readonly book: EventBook,
    private readonly options: LoadOptions,
    private readonly phaseNow: () => string,
  ) {}

  start(): void {
    this.pacingSince = Date.now();
    this.pacer = setInterval(() => this.produce(), 50);
    this.senders = Array.from({ length: this.options.concurrency }, () => this.sendLoop());
  }

  /** No new load events from now on; what is queued or being retried is still sent. */
  stopPacing(): void {
    clearInterval(this.pacer);
    this.pacer = undefined;
  }

  /** Extra events to send through the same queue and retries (the duplicate storm). */
  submit(submissions: readonly Submission[]): void {
    for (const submission of submissions) this.book.submitted(submission);
    this.fresh.push(...submissions);
  }

  get loadEventsProduced(): number {
    return this.produced;
  }

  get backlog(): number {
    return this.fresh.length + this.retries.length;
  }

  /** Waits until everything queued is answered (or the deadline), then stops the senders. */
  async drain(deadlineMs: number): Promise<void> {
    this.stopPacing();
    while ((this.backlog > 0 || this.inFlight > 0) && Date.now() < deadlineMs) await sleep(100);
    this.stopping = true;
    await Promise.all(this.senders);
    for (const submission of [...this.retries, ...this.fresh]) this.giveUp(submission);
    this.retries.length = 0;
    this.fresh.length = 0;
  }

  private produce(): void {
    const due = Math.floor(((Date.now() - this.pacingSince) / 1000) * this.options.ratePerSecond);
    const batch: Submission[] = [];
    const timestamp = new Date().toISOString();
    for (; this.produced < due; this.produced++) {
      const customerId = this.options.customers[
        this.produced % this.options.customers.length
      ] as string;
      const id = `load-${String(this.produced).padStart(8, '0')}`;
      // The timestamp is fixed now, so a retry is the very same event.
      batch.push({
        event: { id, customerId, type: 'llm.tokens', quantity: LOAD_QUANTITY, timestamp },
        kind: 'load',
        copy: 1,
        attempts: 0,
      });
    }
    this.submit(batch);
    this.stats.backlog(this.backlog);
  }

  private async sendLoop(): Promise<void> {
    while (!this.stopping) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) {
        await sleep(Math.min(wait, 100));
        continue;
      }
      const batch = this.take();
      if (batch.length === 0) {
        await sleep(20);
        continue;
      }
      this.inFlight++;
      try {
        await this.send(batch);
      } finally {
        this.inFlight--;
      }
    }
  }

  /** Retries first: they are the oldest events, and the ones a fault left hanging. */
  private take(): Submission[] {
    const batch = this.retries.splice(0, this.options.batchSize);
    if (batch.length < this.options.batchSize)
      batch.push(...this.fresh.splice(0, this.options.batchSize - batch.length));
    return batch;
  }

  private async send(batch: Submission[]): Promise<void> {
    const phase = this.phaseNow();
    for (const submission of batch) submission.attempts++;
    const sentAt = Date.now();
    let response;
    try {
      response = await this.api.postBatch(batch.map((submission) => submission.event));
    } catch (error) {
      // Refused, reset or timed out: the outcome is unknown, so the same ids go again.
      this.stats.response(phase, 'no-answer');
      this.stats.notStored(phase, connectionFailure(error), batch.length);
      this.retry(phase, batch, 'no-answer', NO_ANSWER_BACKOFF_MS);
      return;
    }
    this.stats.response(phase, response.status);
    const results = (response.body as { results?: BatchResult[] } | null)?.results;
    const backoffMs = (response.retryAfterSeconds ?? 1) * 1000;
    if (
      (response.status !== 202 && response.status !== 503) ||
      !Array.isArray(results) ||
      results.length !== batch.length
    ) {
      // 429 (shedding) or anything else without per-event answers: the whole batch again.
      this.stats.notStored(
        phase,
        `HTTP ${response.status} ${problemTitle(response.body)}`,
        batch.length,
      );
      this.retry(phase, batch, `http-${response.status}`, backoffMs);
      return;
    }
    const again: Submission[] = [];
    let stored = 0;
    for (const result of results) {
      const submission = batch[result.index];
      if (submission === undefined) continue;
      this.stats.answer(phase, result.status);
      if (result.status === 'accepted' || result.status === 'duplicate') stored++;
      const detail = result.status === 'rejected' ? JSON.stringify(result.errors) : result.reason;
      if (result.status === 'unavailable' || result.status === 'rejected')
        this.stats.notStored(phase, `${result.status}: ${detail}`, 1);
      if (!this.book.answered(submission, result.status, detail)) again.push(submission);
    }
    if (stored > 0) this.stats.stored(Date.now(), Date.now() - sentAt, stored);
    if (again.length > 0) this.retry(phase, again, undefined, backoffMs);
  }

  private retry(
    phase: string,
    submissions: readonly Submission[],
    answer: Answer | undefined,
    backoffMs: number,
  ): void {
    for (const submission of submissions) {
      if (answer !== undefined) {
        this.book.answered(submission, answer);
        this.stats.answer(phase, answer);
      }
      if (submission.attempts >= this.options.maxAttempts) this.giveUp(submission);
      else this.retries.push(submission);
    }
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + backoffMs);
  }

  private giveUp(submission: Submission): void {
    this.book.abandoned(submission);
    this.stats.abandoned++;
  }
}

/** fetch's own message is only "fetch failed"; the cause says refused, reset or timed out. */
function connectionFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `no answer: ${cause?.code ?? cause?.message ?? (error as Error).name ?? String(error)}`;
}

function problemTitle(body: unknown): string {
  const problem = body as { title?: unknown; detail?: unknown } | null;
  return typeof problem?.title === 'string' ? problem.title : JSON.stringify(body).slice(0, 120);
}
