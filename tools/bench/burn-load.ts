import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  COUNTER,
  wallClockMs,
  type FromGenerator,
  type LoadPlan,
  type LoadResult,
  type ToGenerator,
} from './burn-protocol';
import { HttpPoster } from './http-post';

// The burn benchmark's load generator: its own thread (named burn-load, so its CPU shows apart in
// /proc), sending HTTP batches to ingestion, closed-loop or at a fixed rate. It reads how many
// debits the coordinator has seen applied from a shared counter.

const MAX_EVENTS_PER_REQUEST = 1_000;
/** open loop: beyond this many requests on their way, the schedule waits (and the lag is reported). */
const MAX_OPEN_REQUESTS = 512;
/** Failures other than 429/503 in one phase after which the generator gives up. */
const MAX_HTTP_ERRORS = 50;

const counters = new Int32Array((workerData as { counters: SharedArrayBuffer }).counters);

class Phase {
  sent = 0;
  stored = 0;
  duplicates = 0;
  requests = 0;
  status429 = 0;
  status503 = 0;
  httpErrors = 0;
  maxScheduleLagMs = 0;
  readonly firstErrors: string[] = [];
  private batches = new Float64Array(4 * 1_024);
  private batchCount = 0;
  private readonly ingestion: HttpPoster;

  constructor(readonly plan: LoadPlan) {
    this.ingestion = new HttpPoster(`${plan.ingestionUrl}/v1/events/batch`, {
      authorization: `Bearer ${plan.apiKey}`,
      'content-type': 'application/json',
    });
  }

  /** Sends events `first` … `first + count - 1` until a 202 stores them all, honouring Retry-After. */
  async send(first: number, count: number): Promise<void> {
    this.sent += count;
    Atomics.add(counters, COUNTER.sent, count);
    const body = this.body(first, count);
    const sentAt = wallClockMs();
    for (;;) {
      this.requests++;
      Atomics.add(counters, COUNTER.requestsInFlight, 1);
      let status: number;
      let answer:
        | { accepted?: number; duplicates?: number; rejected?: number; results?: unknown[] }
        | undefined;
      let retryAfterSeconds = 1;
      try {
        const response = await this.ingestion.post(body);
        status = response.status;
        retryAfterSeconds = Number(response.retryAfter ?? '1') || 1;
        answer = JSON.parse(response.body) as typeof answer;
      } catch (error) {
        this.fail(`request failed: ${(error as Error).message}`);
        await sleep(1_000);
        continue;
      } finally {
        Atomics.sub(counters, COUNTER.requestsInFlight, 1);
      }
      if (status === 429 || status === 503) {
        if (status === 429) this.status429++;
        else this.status503++;
        await sleep(retryAfterSeconds * 1_000);
        continue;
      }
      if (status !== 202 || answer === undefined) {
        this.fail(`HTTP ${status}: ${JSON.stringify(answer).slice(0, 300)}`);
        await sleep(1_000);
        continue;
      }
      if ((answer.rejected ?? 0) > 0) {
        const rejected = answer.results?.find(
          (result) => (result as { status?: string }).status === 'rejected',
        );
        throw new Error(
          `ingestion rejected ${answer.rejected} events of a benchmark batch, e.g. ${JSON.stringify(rejected)}`,
        );
      }
      const stored = (answer.accepted ?? 0) + (answer.duplicates ?? 0);
      this.stored += stored;
      this.duplicates += answer.duplicates ?? 0;
      Atomics.add(counters, COUNTER.stored, stored);
      this.record(first, count, sentAt, wallClockMs());
      return;
    }
  }

  result(startedAt: number, cpu: NodeJS.CpuUsage): LoadResult {
    this.ingestion.close();
    return {
      tag: this.plan.tag,
      startedAt,
      endedAt: wallClockMs(),
      sent: this.sent,
      stored: this.stored,
      duplicates: this.duplicates,
      requests: this.requests,
      status429: this.status429,
      status503: this.status503,
      httpErrors: this.httpErrors,
      firstErrors: this.firstErrors,
      maxScheduleLagMs: this.maxScheduleLagMs,
      batches: this.batches.slice(0, 4 * this.batchCount),
      cpuMicros: { user: cpu.user, system: cpu.system },
    };
  }

  private body(first: number, count: number): string {
    const { tag, customers, quantity } = this.plan;
    const events = new Array<string>(count);
    for (let index = 0; index < count; index++) {
      const sequence = first + index;
      events[index] =
        `{"id":"${tag}.${sequence}","customerId":"${customers[sequence % customers.length]}","type":"llm.tokens","quantity":"${quantity}"}`;
    }
    return `{"events":[${events.join(',')}]}`;
  }

  private record(first: number, count: number, sentAt: number, ackAt: number): void {
    if (4 * (this.batchCount + 1) > this.batches.length) {
      const grown = new Float64Array(this.batches.length * 2);
      grown.set(this.batches);
      this.batches = grown;
    }
    this.batches.set([first, count, sentAt, ackAt], 4 * this.batchCount++);
  }

  private fail(message: string): void {
    this.httpErrors++;
    if (this.firstErrors.length < 5) this.firstErrors.push(message);
    if (this.httpErrors > MAX_HTTP_ERRORS)
      throw new Error(
        `more than ${MAX_HTTP_ERRORS} failed requests; first: ${this.firstErrors.join(' | ')}`,
      );
  }
}

/** As fast as the pipeline applies: each lane sends a batch once the window has room for it. */
async function closedLoop(phase: Phase, startedAt: number): Promise<void> {
  const { durationMs, batchSize, concurrency, window } = phase.plan;
  const end = startedAt + durationMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        while (next + batchSize - Atomics.load(counters, COUNTER.applied) > window) {
          if (wallClockMs() >= end) return;
          await sleep(2);
        }
        if (wallClockMs() >= end) return;
        const first = next;
        next += batchSize;
        await phase.send(first, batchSize);
      }
    }),
  );
}

/** A fixed rate whatever the answers: every tick sends the events due by then. */
async function openLoop(phase: Phase, startedAt: number): Promise<void> {
  const { durationMs, ratePerSecond, tickMs } = phase.plan;
  const inFlight = new Set<Promise<void>>();
  let scheduled = 0;
  for (let tick = 1; tick * tickMs <= durationMs; tick++) {
    const tickAt = startedAt + tick * tickMs;
    const wait = tickAt - wallClockMs();
    if (wait > 0) await sleep(wait);
    let due = Math.floor((ratePerSecond * tick * tickMs) / 1_000) - scheduled;
    while (due > 0) {
      while (inFlight.size >= MAX_OPEN_REQUESTS) await Promise.race(inFlight);
      phase.maxScheduleLagMs = Math.max(phase.maxScheduleLagMs, wallClockMs() - tickAt);
      const count = Math.min(due, MAX_EVENTS_PER_REQUEST);
      const sending = phase.send(scheduled, count).finally(() => inFlight.delete(sending));
      inFlight.add(sending);
      scheduled += count;
      due -= count;
    }
  }
  await Promise.all(inFlight);
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const phase = new Phase(plan);
  const cpuBefore = process.threadCpuUsage();
  const startedAt = wallClockMs();
  if (plan.kind === 'closed') await closedLoop(phase, startedAt);
  else await openLoop(phase, startedAt);
  return phase.result(startedAt, process.threadCpuUsage(cpuBefore));
}

const port = parentPort;
if (port === null) throw new Error('burn-load runs as a worker thread of burn.bench');
port.on('message', (message: ToGenerator) => {
  if (message.type === 'exit') {
    port.close();
    return;
  }
  run(message.plan).then(
    (result) =>
      port.postMessage({ type: 'done', result } satisfies FromGenerator, [
        result.batches.buffer as ArrayBuffer,
      ]),
    (error: unknown) =>
      port.postMessage({
        type: 'failed',
        message: error instanceof Error ? error.message : String(error),
      } satisfies FromGenerator),
  );
});
