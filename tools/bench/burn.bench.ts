import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { formatRate, machineLine, verdict } from './bench-support';
import {
  GOALS,
  checksOf,
  idleLimitMB,
  printFloorsAndAims,
  type Check,
  type ModeFigures,
} from './burn-aims';
import { cpuCost, describeCpuCost, type CpuCost } from './burn-cost';
import {
  CpuReader,
  cpuSeries,
  cpuUse,
  type CpuTarget,
  type CpuUse,
  type RawCpuSample,
} from './burn-cpu';
import {
  COUNTER,
  COUNTER_SLOTS,
  PHASE_COUNTERS,
  sequenceOf,
  wallClockMs,
  type CounterPoint,
  type FromGenerator,
  type FromSampler,
  type LoadPlan,
  type LoadResult,
  type ToSampler,
} from './burn-protocol';
import { MainThreadProfiler, summarizeProfile, type ProfileSummary } from './burn-profile';
import {
  explainBound,
  printCpuTable,
  printProfile,
  printSeries,
  type Flow,
  type PhaseSeries,
  type SeriesPoint,
} from './burn-report';
import {
  embeddedProcessIdleRss,
  idleRss,
  peakRss,
  printMemoryTable,
  resetPeak,
} from './burn-memory';
import {
  appendsPerEvent,
  describeStoreActivity,
  readStores,
  settledStores,
  storeActivityBetween,
  type StoreActivityUse,
} from './burn-store-activity';
import {
  MODES,
  startDistributed,
  startEmbedded,
  type ConsumerPending,
  type EmbeddedObserver,
  type EmbeddedStore,
  type Mode,
  type SystemUnderTest,
} from './burn-systems';
import {
  BASELINE_DEFAULTS,
  describeBaseline,
  runPostgresBaseline,
  type Baseline,
} from './postgres-baseline';

// Issue 6, end to end: usage events from HTTP batches to applied wallet debits, seen as the
// wallets' `wallet.debited` integration events (each debit with the balance after it). Three figures, each in both deployments:
// sustained burn over many wallets, latency at half that rate (open loop), and one hot wallet.
// The load generator runs in its own thread of this process; /proc tells where the CPU went.
// Held against plain PostgreSQL on the same machine (pgbench, before the deployments run) and
// the aims of burn-aims.ts: CPU per burned event, memory per process, event-store appends.

/** Never runs out during a benchmark: 10^12 credits per wallet. */
const GRANT = '1000000000000000000';
/** 1 cent a credit. */
const GRANT_COST_BASIS = { currency: 'USD', microsPerCredit: '1000000' };
const QUANTITY = '1000';
/** The default rate card burns 1 credit (1,000,000 micro-credits) per 1,000 units. */
const MICROS_PER_EVENT = 1_000_000n;

function integer(name: string, fallback: number, min = 1): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}`);
  return value;
}

function choices<T extends string>(
  name: string,
  allowed: readonly T[],
  fallback: readonly T[],
): T[] {
  const text = process.env[name];
  if (text === undefined || text === '') return [...fallback];
  const picked = text.split(',').map((part) => part.trim());
  const wrong = picked.filter((part) => !allowed.includes(part as T));
  if (wrong.length > 0)
    throw new Error(`${name}: ${wrong.join(', ')} unknown; choose from ${allowed.join(', ')}`);
  return picked as T[];
}

type PhaseName = 'throughput' | 'latency' | 'hot';
const PHASES: readonly PhaseName[] = ['throughput', 'latency', 'hot'];

const seconds = integer('BENCH_SECONDS', 60);
const config = {
  seconds,
  latencySeconds: integer('BENCH_LATENCY_SECONDS', seconds),
  warmupSeconds: integer('BENCH_WARMUP_SECONDS', Math.min(10, seconds), 0),
  modes: choices<Mode>('BENCH_MODES', MODES, MODES),
  phases: choices<PhaseName>('BENCH_PHASES', PHASES, PHASES),
  customers: integer('BENCH_CUSTOMERS', 100),
  batch: Math.min(1_000, integer('BENCH_BATCH', 1_000)),
  concurrency: integer('BENCH_CONCURRENCY', 8),
  window: integer('BENCH_WINDOW', 40_000),
  latencyRate: integer('BENCH_LATENCY_RATE', 0, 0),
  latencyTickMs: integer('BENCH_LATENCY_TICK_MS', 20),
  drainIdleSeconds: integer('BENCH_DRAIN_IDLE_SECONDS', 30),
  drainMaxSeconds: integer('BENCH_DRAIN_MAX_SECONDS', 180),
  natsUrl: process.env['BURNDOWN_NATS_URL'] || 'nats://127.0.0.1:4222',
  embeddedStore: choices<EmbeddedStore>(
    'BENCH_EMBEDDED_STORE',
    ['disk', 'memory'],
    ['disk'],
  )[0] as EmbeddedStore,
  embeddedObserver: choices<EmbeddedObserver>(
    'BENCH_EMBEDDED_OBSERVER',
    ['tap', 'consumer'],
    ['tap'],
  )[0] as EmbeddedObserver,
  /**
   * V8 sampling profiles (BENCH_PROFILE=1): of the embedded main thread per window, of each
   * distributed service over its life. Off by default: the profilers cost the distributed burn
   * ~10 % (4,456 against 5,018/s in back-to-back 40 s runs), and the figures are the product's.
   */
  profile: process.env['BENCH_PROFILE'] === '1',
  /** Where the embedded main thread's profile of each phase is kept (for DevTools), if anywhere. */
  profileDir: process.env['BENCH_PROFILE_DIR'] || undefined,
  /** pgbench against the local PostgreSQL, as long as a burn phase, before the deployments run. */
  baseline: process.env['BENCH_BASELINE'] !== '0',
};
/** Closed-loop phases send this long before the measured window opens: the pipeline fills first. */
const rampSeconds = Math.min(5, config.seconds / 6);

/** Which debits of one phase were seen applied, and when. */
class Tracker {
  distinct = 0;
  repeats = 0;
  private arrivals = new Float64Array(65_536);

  /** False for a repeat (a redelivered or re-published wallet.debited). */
  record(sequence: number, at: number): boolean {
    while (sequence >= this.arrivals.length) {
      const grown = new Float64Array(this.arrivals.length * 2);
      grown.set(this.arrivals);
      this.arrivals = grown;
    }
    if (this.arrivals[sequence] !== 0) {
      this.repeats++;
      return false;
    }
    this.arrivals[sequence] = at;
    this.distinct++;
    return true;
  }

  /** When the debit was seen applied; 0 when it was not. */
  arrivalOf(sequence: number): number {
    return this.arrivals[sequence] ?? 0;
  }

  countBetween(from: number, to: number): number {
    let count = 0;
    for (const at of this.arrivals) if (at >= from && at < to) count++;
    return count;
  }
}

/** The sampler thread of one system: /proc and the shared counters once a second. */
class Sampler {
  readonly cpu: RawCpuSample[] = [];
  readonly points: CounterPoint[] = [];
  private readonly worker: Worker;

  constructor(counters: Int32Array, targets: readonly CpuTarget[]) {
    this.worker = new Worker(join(__dirname, 'burn-sampler.js'), {
      name: 'burn-sampler',
      workerData: { counters: counters.buffer, targets, intervalMs: 1_000 },
    });
  }

  /** Takes a reading now and collects everything read so far. */
  flush(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.worker.once('error', reject);
      this.worker.once('message', (message: FromSampler) => {
        this.worker.off('error', reject);
        this.cpu.push(...message.cpu);
        this.points.push(...message.points);
        resolve();
      });
      this.worker.postMessage({ type: 'flush' } satisfies ToSampler);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The load generator thread, reused by every phase. */
class Generator {
  private readonly worker: Worker;

  constructor(readonly counters: Int32Array) {
    this.worker = new Worker(join(__dirname, 'burn-load.js'), {
      name: 'burn-load',
      workerData: { counters: counters.buffer },
    });
  }

  /** Zeroes the phase's counters, before anyone reads them. */
  reset(): void {
    for (let slot = 0; slot < PHASE_COUNTERS; slot++) Atomics.store(this.counters, slot, 0);
  }

  run(plan: LoadPlan): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.worker.once('error', onError);
      this.worker.once('message', (message: FromGenerator) => {
        this.worker.off('error', onError);
        if (message.type === 'done') resolve(message.result);
        else reject(new Error(`load generator: ${message.message}`));
      });
      this.worker.postMessage({ type: 'run', plan });
    });
  }

  count(slot: number): number {
    return Atomics.load(this.counters, slot);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

interface PhaseSpec {
  readonly name: 'warm-up' | PhaseName;
  readonly kind: 'closed' | 'open';
  readonly customers: readonly string[];
  readonly sendSeconds: number;
  /** Seconds after the start: the measured window (closed loop). */
  readonly window: readonly [number, number];
  readonly ratePerSecond: number;
}

interface Latency {
  readonly ratePerSecond: number;
  /** Seconds from the first send to the last 202: longer than the schedule when ingestion queued requests. */
  readonly answeredWithinSeconds: number;
  readonly events: number;
  readonly missing: number;
  readonly maxScheduleLagMs: number;
  /** Milliseconds from the 202 that answered the event's batch to its wallet.debited message (the balance after the debit). */
  readonly fromAck: Percentiles;
  /** Milliseconds from sending the event's batch to its wallet.debited message (the balance after the debit). */
  readonly fromSend: Percentiles;
  /** Debits applied before the 202 of their batch was received. */
  readonly beforeAck: number;
}

interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

interface PhaseResult {
  readonly name: PhaseSpec['name'];
  readonly kind: PhaseSpec['kind'];
  readonly wallets: number;
  readonly window: { readonly from: number; readonly to: number; readonly seconds: number };
  readonly load: Omit<LoadResult, 'batches'>;
  readonly appliedInWindow: number;
  readonly appliedPerSecond: number;
  readonly ingestedPerSecond: number;
  readonly repeatsSeen: number;
  /** Events of earlier phases not yet applied when this one started. */
  readonly leftOver: number;
  readonly drainSeconds: number;
  readonly missingAfterDrain: number;
  readonly latency?: Latency;
  readonly flow: Flow;
  /** NATS: mean unacknowledged messages per durable consumer over the window. */
  readonly consumersPending: Readonly<Record<string, number>>;
  readonly cpu: CpuUse;
  readonly generatorThreadPercent: number;
  readonly benchProcessPercent: number;
  /** embedded: what the one main thread ran while the generator sent. */
  readonly profile?: ProfileSummary;
  readonly bound: readonly string[];
  /** CPU of the deployment's processes per debit applied over the window. */
  readonly cost: CpuCost;
  /** Event-store appends from before the first send to after the drain. */
  readonly store: StoreActivityUse;
  readonly series: PhaseSeries;
}

interface ModeResult {
  readonly mode: Mode;
  readonly description: string;
  readonly phases: PhaseResult[];
  readonly balances?: BalanceCheck;
  /** distributed: what each service's main thread ran over its whole life. */
  readonly serviceProfiles: Readonly<Record<string, ProfileSummary>>;
  /** MB per process: at rest after the start (median), and the peak at the end. */
  readonly memory: {
    readonly idle: Readonly<Record<string, number>>;
    readonly peak: Readonly<Record<string, number>>;
  };
  readonly error?: string;
}

interface BalanceCheck {
  readonly wallets: number;
  readonly storedByIngestion: number;
  readonly seenApplied: number;
  readonly debitedEvents: string;
  readonly walletsDiffering: readonly string[];
  readonly consistent: boolean;
}

/** What one mode's run shares between its phases. */
class ModeRun {
  readonly trackers = new Map<string, Tracker>();
  readonly seenByWallet = new Map<string, number>();
  readonly storedByCustomer = new Map<string, number>();
  active: Tracker | undefined;
  foreign = 0;

  constructor(
    readonly sut: SystemUnderTest,
    readonly generator: Generator,
    readonly sampler: Sampler,
    readonly tagPrefix: string,
  ) {
    sut.onDebit((walletId, usageEventId, arrivedAt) => {
      const id = sequenceOf(usageEventId);
      const tracker = id === undefined ? undefined : this.trackers.get(id.tag);
      if (id === undefined || tracker === undefined) {
        this.foreign++;
        return;
      }
      if (!tracker.record(id.sequence, arrivedAt)) return;
      Atomics.add(this.generator.counters, COUNTER.appliedAll, 1);
      this.seenByWallet.set(walletId, (this.seenByWallet.get(walletId) ?? 0) + 1);
      if (tracker === this.active) Atomics.add(this.generator.counters, COUNTER.applied, 1);
    });
  }
}

async function api(
  sut: SystemUnderTest,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${sut.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function eachAtMost<T>(
  items: readonly T[],
  atOnce: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: atOnce }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function createCustomers(sut: SystemUnderTest, ids: readonly string[]): Promise<void> {
  await eachAtMost(ids, 8, async (id) => {
    const created = await api(
      sut,
      'POST',
      `${sut.walletsUrl}/v1/customers`,
      { id, name: `Bench ${id}` },
      { 'idempotency-key': `customer-${id}` },
    );
    if (created.status !== 201)
      throw new Error(`creating customer ${id}: ${created.status} ${JSON.stringify(created.body)}`);
    const granted = await api(
      sut,
      'POST',
      `${sut.walletsUrl}/v1/wallets/${id}/grants`,
      // Bought at a price: every debit then books a revenue line in invoicing, as in production.
      { amount: GRANT, kind: 'purchased', costBasis: GRANT_COST_BASIS },
      { 'idempotency-key': `grant-${id}` },
    );
    if (granted.status !== 201)
      throw new Error(`granting to ${id}: ${granted.status} ${JSON.stringify(granted.body)}`);
  });
}

/** Every wallet's debited amount against the events ingestion stored for it and the debits seen applied. */
async function checkBalances(run: ModeRun, ids: readonly string[]): Promise<BalanceCheck> {
  let debited = 0n;
  let stored = 0;
  let seen = 0;
  const differing: string[] = [];
  await eachAtMost(ids, 8, async (id) => {
    const wallet = await api(run.sut, 'GET', `${run.sut.walletsUrl}/v1/wallets/${id}`);
    const balance = BigInt((wallet.body as { balance?: string } | null)?.balance ?? '-1');
    const spent = BigInt(GRANT) - balance;
    const storedHere = run.storedByCustomer.get(id) ?? 0;
    const seenHere = run.seenByWallet.get(id) ?? 0;
    debited += spent;
    stored += storedHere;
    seen += seenHere;
    if (spent !== BigInt(storedHere) * MICROS_PER_EVENT || seenHere !== storedHere) {
      differing.push(
        `${id}: debited ${spent} micro-credits, ${storedHere} events stored, ${seenHere} seen applied`,
      );
    }
  });
  const debitedEvents =
    debited % MICROS_PER_EVENT === 0n
      ? (debited / MICROS_PER_EVENT).toString()
      : `${Number(debited) / Number(MICROS_PER_EVENT)}`;
  return {
    wallets: ids.length,
    storedByIngestion: stored,
    seenApplied: seen,
    debitedEvents,
    walletsDiffering: differing.slice(0, 10),
    consistent: differing.length === 0,
  };
}

function percentiles(values: Float64Array): Percentiles {
  const sorted = values.slice().sort();
  const at = (p: number) =>
    sorted.length === 0
      ? NaN
      : (sorted[
          Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
        ] as number);
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: at(100) };
}

function latencyOf(
  tracker: Tracker,
  result: LoadResult,
  batches: Float64Array,
  ratePerSecond: number,
): Latency {
  const fromAck = new Float64Array(result.stored);
  const fromSend = new Float64Array(result.stored);
  let events = 0;
  let missing = 0;
  let beforeAck = 0;
  for (let batch = 0; batch < batches.length; batch += 4) {
    const [first, count, sentAt, ackAt] = [
      batches[batch],
      batches[batch + 1],
      batches[batch + 2],
      batches[batch + 3],
    ] as number[];
    for (
      let sequence = first as number;
      sequence < (first as number) + (count as number);
      sequence++
    ) {
      const arrivedAt = tracker.arrivalOf(sequence);
      if (arrivedAt === 0) {
        missing++;
        continue;
      }
      fromAck[events] = arrivedAt - (ackAt as number);
      fromSend[events] = arrivedAt - (sentAt as number);
      if (arrivedAt < (ackAt as number)) beforeAck++;
      events++;
    }
  }
  return {
    ratePerSecond,
    answeredWithinSeconds: (result.endedAt - result.startedAt) / 1_000,
    events,
    missing,
    maxScheduleLagMs: result.maxScheduleLagMs,
    fromAck: percentiles(fromAck.subarray(0, events)),
    fromSend: percentiles(fromSend.subarray(0, events)),
    beforeAck,
  };
}

async function runPhase(run: ModeRun, spec: PhaseSpec): Promise<PhaseResult> {
  const { sut, generator } = run;
  const tag = `${run.tagPrefix}-${spec.name}`;
  const tracker = new Tracker();
  generator.reset();
  run.trackers.set(tag, tracker);
  run.active = tracker;
  const plan: LoadPlan = {
    kind: spec.kind,
    tag,
    ingestionUrl: sut.ingestionUrl,
    apiKey: sut.apiKey,
    customers: spec.customers,
    quantity: QUANTITY,
    durationMs: spec.sendSeconds * 1_000,
    batchSize: config.batch,
    concurrency: config.concurrency,
    window: config.window,
    ratePerSecond: spec.ratePerSecond,
    tickMs: config.latencyTickMs,
  };

  // Debits of earlier phases still on their way compete with this one: said, not hidden.
  const leftOver = Math.max(
    0,
    generator.count(COUNTER.usage) - generator.count(COUNTER.appliedAll),
  );
  const storeBefore = await readStores(sut.processes);
  const burnedBefore = generator.count(COUNTER.appliedAll);
  const processBefore = process.cpuUsage();
  const profiler = sut.profileThisThread && config.profile ? new MainThreadProfiler() : undefined;
  await profiler?.start();
  const startedAt = wallClockMs();
  const counter = (slot: number) => generator.count(slot);
  const startPoint: CounterPoint = {
    at: startedAt,
    sent: 0,
    stored: 0,
    applied: 0,
    requestsInFlight: 0,
    usage: counter(COUNTER.usage),
    debits: counter(COUNTER.debits),
    appliedAll: counter(COUNTER.appliedAll),
  };
  const result = await generator.run(plan);
  const sentUntil = wallClockMs();
  const profile = await profiler?.stop();
  if (profile !== undefined && config.profileDir !== undefined) {
    mkdirSync(config.profileDir, { recursive: true });
    writeFileSync(join(config.profileDir, `${tag}.cpuprofile`), JSON.stringify(profile));
  }
  const processCpu = process.cpuUsage(processBefore);
  const { batches, ...load } = result;
  for (let batch = 0; batch < batches.length; batch += 4) {
    const first = batches[batch] as number;
    const count = batches[batch + 1] as number;
    for (let sequence = first; sequence < first + count; sequence++) {
      const customer = spec.customers[sequence % spec.customers.length] as string;
      run.storedByCustomer.set(customer, (run.storedByCustomer.get(customer) ?? 0) + 1);
    }
  }

  // Drain: wait for every stored event's debit, giving up when nothing moves for a while or it takes too long.
  let lastProgress = wallClockMs();
  let lastCount = tracker.distinct;
  while (
    tracker.distinct < result.stored &&
    wallClockMs() - lastProgress < config.drainIdleSeconds * 1_000 &&
    wallClockMs() - sentUntil < config.drainMaxSeconds * 1_000
  ) {
    await sleep(100);
    if (tracker.distinct !== lastCount) {
      lastCount = tracker.distinct;
      lastProgress = wallClockMs();
    }
  }
  const drainSeconds = (wallClockMs() - sentUntil) / 1_000;
  run.active = undefined;
  await run.sampler.flush();

  const from = startedAt + spec.window[0] * 1_000;
  const to = startedAt + spec.window[1] * 1_000;
  const windowSeconds = spec.window[1] - spec.window[0];
  const appliedInWindow = tracker.countBetween(from, to);
  let ingestedInWindow = 0;
  for (let batch = 0; batch < batches.length; batch += 4) {
    const ackAt = batches[batch + 3] as number;
    if (ackAt >= from && ackAt < to) ingestedInWindow += batches[batch + 1] as number;
  }
  const ended = wallClockMs();
  const cpu = cpuUse(
    run.sampler.cpu,
    sut.cpuTargets.map((target) => target.name),
    from,
    to,
  );
  const series: PhaseSeries = {
    startedAt,
    points: [
      startPoint,
      ...run.sampler.points.filter((point) => point.at > startedAt && point.at <= ended + 1),
    ],
    cpu: cpuSeries(run.sampler.cpu, startedAt, ended),
    consumers: sut
      .consumerPending()
      .filter((snapshot) => snapshot.at >= startedAt && snapshot.at <= ended),
  };
  const consumersPending = meanPending(
    series.consumers.filter((snapshot) => snapshot.at >= from && snapshot.at <= to),
  );
  const flow = flowOf(series, from, to, consumersPending);
  const sendSeconds = (sentUntil - startedAt) / 1_000;
  // The phase's appends: counted until the counters stop moving (consumers downstream of the wallets may still work).
  const storeAfter = await settledStores(sut.processes);
  const store = storeActivityBetween(
    storeBefore,
    storeAfter.reading,
    generator.count(COUNTER.appliedAll) - burnedBefore,
    storeAfter.settled,
  );
  const phase: PhaseResult = {
    name: spec.name,
    kind: spec.kind,
    wallets: spec.customers.length,
    window: { from, to, seconds: windowSeconds },
    load,
    appliedInWindow,
    appliedPerSecond: appliedInWindow / windowSeconds,
    ingestedPerSecond: ingestedInWindow / windowSeconds,
    repeatsSeen: tracker.repeats,
    leftOver,
    drainSeconds,
    missingAfterDrain: result.stored - tracker.distinct,
    ...(spec.kind === 'open'
      ? { latency: latencyOf(tracker, result, batches, spec.ratePerSecond) }
      : {}),
    flow,
    consumersPending,
    cpu,
    generatorThreadPercent:
      (100 * (result.cpuMicros.user + result.cpuMicros.system)) / 1e6 / sendSeconds,
    benchProcessPercent: (100 * (processCpu.user + processCpu.system)) / 1e6 / sendSeconds,
    ...(profile === undefined ? {} : { profile: summarizeProfile(profile) }),
    bound: [],
    cost: cpuCost(
      cpu,
      sut.processes.map(({ name }) => name),
      flow.appliedPerSecond,
    ),
    store,
    series,
  };
  return {
    ...phase,
    bound: explainBound(sut, phase.cpu, flow, {
      kind: spec.kind,
      window: config.window,
      concurrency: config.concurrency,
    }),
  };
}

/** NATS: of what waits for rating and wallets, how much their consumers have not acknowledged yet. */
function untakenOf(
  consumersPending: Readonly<Record<string, number>>,
): Pick<Flow, 'untakenByRating' | 'untakenByWallets'> {
  const entries = Object.entries(consumersPending);
  if (entries.length === 0) return {};
  const sum = (stream: string) =>
    entries
      .filter(([name]) => name.startsWith(`${stream}/`))
      .reduce((total, [, mean]) => total + mean, 0);
  return { untakenByRating: sum('USAGE'), untakenByWallets: sum('DEBITS') };
}

function meanPending(snapshots: readonly ConsumerPending[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const snapshot of snapshots)
    for (const [name, pending] of Object.entries(snapshot.pending))
      sums[name] = (sums[name] ?? 0) + pending;
  return Object.fromEntries(
    Object.entries(sums).map(([name, sum]) => [name, sum / snapshots.length]),
  );
}

/** What each stage put out per second over the window, and how many events waited in front of it on average. */
function flowOf(
  series: PhaseSeries,
  from: number,
  to: number,
  consumersPending: Readonly<Record<string, number>>,
): Flow {
  const inside = series.points.filter((point) => point.at >= from && point.at <= to);
  const first = inside[0];
  const last = inside[inside.length - 1];
  const seconds = first === undefined || last === undefined ? 0 : (last.at - first.at) / 1_000;
  const rate = (value: (point: SeriesPoint) => number) =>
    seconds > 0 ? (value(last as SeriesPoint) - value(first as SeriesPoint)) / seconds : 0;
  const mean = (value: (point: SeriesPoint) => number) =>
    inside.length === 0 ? 0 : inside.reduce((sum, point) => sum + value(point), 0) / inside.length;
  return {
    ingestedPerSecond: rate((point) => point.stored),
    ratedPerSecond: rate((point) => point.debits),
    appliedPerSecond: rate((point) => point.appliedAll),
    inRequests: mean((point) => point.sent - point.stored),
    requestsInFlight: mean((point) => point.requestsInFlight),
    forRating: mean((point) => Math.max(0, point.usage - point.debits)),
    forWallets: mean((point) => Math.max(0, point.debits - point.appliedAll)),
    ...untakenOf(consumersPending),
  };
}

async function runMode(
  mode: Mode,
  generator: Generator,
  runId: string,
  baseline: Baseline,
): Promise<ModeResult> {
  console.log(`\n=== ${mode} ===`);
  for (let slot = 0; slot < COUNTER_SLOTS; slot++) Atomics.store(generator.counters, slot, 0);
  // The embedded services run in this process: its peak memory counts from here, not from earlier modes.
  const peakFromHere = mode === 'embedded' && resetPeak(process.pid);
  const sut =
    mode === 'distributed'
      ? await startDistributed(config.natsUrl, config.profile, generator.counters)
      : await startEmbedded(config.embeddedStore, config.embeddedObserver, generator.counters);
  const sampler = new Sampler(generator.counters, sut.cpuTargets);
  const run = new ModeRun(sut, generator, sampler, `${runId}${mode[0]}`);
  const phases: PhaseResult[] = [];
  const customers = Array.from({ length: config.customers }, (_, index) => `c${index}`);
  let outcome: Omit<ModeResult, 'serviceProfiles' | 'memory'>;
  let idle: Record<string, number> = {};
  try {
    console.log(sut.description);
    if (mode === 'embedded') {
      // The compiled bench runs from dist/tools/bench; the repository is above dist.
      const own = await embeddedProcessIdleRss(
        resolve(__dirname, basename(resolve(__dirname, '../..')) === 'dist' ? '../../..' : '../..'),
      );
      if (own !== undefined) idle = { burndown: own };
    } else {
      idle = await idleRss(sut.processes);
    }
    const setupStart = wallClockMs();
    await createCustomers(sut, [...customers, 'hot']);
    console.log(
      `setup: ${config.customers + 1} customers with wallets and grants in ${((wallClockMs() - setupStart) / 1_000).toFixed(1)} s`,
    );
    const closed = (
      name: PhaseSpec['name'],
      wallets: readonly string[],
      measured: number,
    ): PhaseSpec => ({
      name,
      kind: 'closed',
      customers: wallets,
      sendSeconds: rampSeconds + measured,
      window: [rampSeconds, rampSeconds + measured],
      ratePerSecond: 0,
    });
    if (config.warmupSeconds > 0) {
      const warm = await runPhase(run, closed('warm-up', customers, config.warmupSeconds));
      console.log(
        `warm-up: ${formatRate(warm.appliedPerSecond)} applied, drained in ${warm.drainSeconds.toFixed(1)} s`,
      );
    }
    for (const name of config.phases) {
      let spec: PhaseSpec;
      if (name === 'latency') {
        const sustained = phases.find((phase) => phase.name === 'throughput')?.appliedPerSecond;
        const rate =
          config.latencyRate > 0
            ? config.latencyRate
            : Math.max(100, Math.round((sustained ?? 2_000) / 2));
        spec = {
          name,
          kind: 'open',
          customers,
          sendSeconds: config.latencySeconds,
          window: [0, config.latencySeconds],
          ratePerSecond: rate,
        };
      } else {
        spec = closed(name, name === 'hot' ? ['hot'] : customers, config.seconds);
      }
      const phase = await runPhase(run, spec);
      phases.push(phase);
      printPhase(mode, phase);
    }
    const balances = await checkBalances(run, [...customers, 'hot']);
    console.log(
      `balances: ${balances.wallets} wallets; ${balances.storedByIngestion.toLocaleString('en-US')} events stored by ingestion, ${balances.seenApplied.toLocaleString('en-US')} debits seen applied, ` +
        `${balances.debitedEvents} events' worth debited: ${balances.consistent ? 'consistent' : `INCONSISTENT — ${balances.walletsDiffering.join('; ')}`}` +
        (run.foreign > 0 ? ` (${run.foreign} wallet.debited of events not ours)` : ''),
    );
    outcome = { mode, description: sut.description, phases, balances };
  } catch (error) {
    console.error(`${mode} failed:`, error);
    outcome = {
      mode,
      description: sut.description,
      phases,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  const memory = { idle, peak: peakRss(sut.processes) };
  printModeChecks(
    mode,
    sut,
    memory,
    checksOf(figuresOf({ ...outcome, memory }), baseline),
    mode === 'embedded' && !peakFromHere,
  );
  await sampler.close();
  const serviceProfiles = await sut.stop();
  if (Object.keys(serviceProfiles).length > 0) {
    console.log(
      `\nwhat each service's main thread ran over its whole life (V8 sampling profile, --cpu-prof):`,
    );
    for (const [service, summary] of Object.entries(serviceProfiles))
      printProfile(service, summary);
  }
  return { ...outcome, memory, serviceProfiles };
}

/** What the floors and aims hold a deployment's run to. */
function figuresOf(result: Pick<ModeResult, 'mode' | 'phases' | 'memory'>): ModeFigures {
  const phase = (name: PhaseName) => result.phases.find((candidate) => candidate.name === name);
  const throughput = phase('throughput');
  const hot = phase('hot');
  const latency = phase('latency')?.latency;
  return {
    mode: result.mode,
    ...(throughput === undefined
      ? {}
      : {
          burnPerSecond: throughput.appliedPerSecond,
          cpuMicrosPerEvent: throughput.cost.microsPerEvent,
        }),
    ...(hot === undefined ? {} : { hotPerSecond: hot.appliedPerSecond }),
    ...(latency === undefined ? {} : { latencyP99Ms: latency.fromAck.p99 }),
    idleRssMB: result.memory.idle,
  };
}

function printModeChecks(
  mode: Mode,
  sut: SystemUnderTest,
  memory: ModeResult['memory'],
  checks: readonly Check[],
  peakSinceStart: boolean,
): void {
  console.log(
    `\n--- ${mode}: memory, and the figures against the Postgres baseline and the aims ---`,
  );
  const notes = Object.fromEntries(
    sut.processes.flatMap(({ name, note }) => (note === undefined ? [] : [[name, note]])),
  );
  if (peakSinceStart)
    notes['burndown'] =
      `${notes['burndown'] ?? ''}; peak since the bench started (/proc refused clear_refs)`;
  if (mode === 'embedded')
    notes['burndown'] =
      `idle: a process of its own started as npm start does; peak: ${notes['burndown'] ?? 'the bench process'}`;
  printMemoryTable(memory.idle, memory.peak, (process) => idleLimitMB(mode, process), notes);
  for (const check of checks)
    if (!check.figure.startsWith('idle RSS')) console.log(`  ${check.line}`);
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const count = (value: number) => Math.round(value).toLocaleString('en-US');

function printPhase(mode: Mode, phase: PhaseResult): void {
  const { load } = phase;
  const retries = `${load.status429} × 429 and ${load.status503} × 503 retried after Retry-After, ${load.httpErrors} other failures`;
  console.log(
    `\n--- ${mode}: ${phase.name} (${phase.wallets} wallet${phase.wallets === 1 ? '' : 's'}) ---`,
  );
  if (phase.latency === undefined) {
    console.log(
      `applied ${count(phase.appliedInWindow)} debits in the ${fixed(phase.window.seconds, 1)} s window → ${formatRate(phase.appliedPerSecond)} (202s at ${formatRate(phase.ingestedPerSecond)}); ` +
        `closed loop, ${config.concurrency} requests of ${config.batch} at once, at most ${count(config.window)} events sent and not applied`,
    );
  } else {
    const { latency } = phase;
    console.log(
      `open loop at ${formatRate(latency.ratePerSecond)}, one request every ${config.latencyTickMs} ms for ${config.latencySeconds} s (schedule lag ≤ ${fixed(latency.maxScheduleLagMs)} ms; ` +
        `the last 202 came ${fixed(latency.answeredWithinSeconds, 1)} s after the first send): ${count(latency.events)} debits, ${latency.missing} never seen`,
    );
    console.log(
      `  202 → debited: p50 ${fixed(latency.fromAck.p50)} ms, p90 ${fixed(latency.fromAck.p90)}, p99 ${fixed(latency.fromAck.p99)}, p99.9 ${fixed(latency.fromAck.p999)}, max ${fixed(latency.fromAck.max)} (${latency.beforeAck} applied before their 202 arrived)`,
    );
    console.log(
      `  send → debited: p50 ${fixed(latency.fromSend.p50)} ms, p90 ${fixed(latency.fromSend.p90)}, p99 ${fixed(latency.fromSend.p99)}, p99.9 ${fixed(latency.fromSend.p999)}, max ${fixed(latency.fromSend.max)}`,
    );
  }
  console.log(
    `  ${count(load.sent)} events sent in ${count(load.requests)} requests; ${count(load.stored)} stored (${count(load.duplicates)} as duplicates of a retry); ${retries}; ` +
      `drained in ${fixed(phase.drainSeconds, 1)} s, ${phase.missingAfterDrain} never applied${phase.repeatsSeen > 0 ? `, ${phase.repeatsSeen} wallet.debited repeats` : ''}`,
  );
  if (load.firstErrors.length > 0) console.log(`  first failures: ${load.firstErrors.join(' | ')}`);
  if (phase.leftOver > 0)
    console.log(
      `  NOTE: ${count(phase.leftOver)} events of earlier phases were not yet applied when this one started; they competed with it`,
    );
  console.log(
    `  generator thread ${fixed(phase.generatorThreadPercent)}% of a core (threadCpuUsage); bench process ${fixed(phase.benchProcessPercent)}% (process.cpuUsage${mode === 'embedded' ? ', includes the embedded services' : ': generator and observer'})`,
  );
  const pending = Object.entries(phase.consumersPending).filter(([, mean]) => mean >= 1);
  if (pending.length > 0) {
    console.log(
      `  JetStream durable consumers, mean unacknowledged over the window: ${pending.map(([name, mean]) => `${name} ${count(mean)}`).join(', ')}`,
    );
  }
  printCpuTable(phase.cpu);
  console.log(`  ${describeCpuCost(phase.cost, GOALS.cpuMicrosPerEvent)}`);
  console.log(`  ${describeStoreActivity(phase.store)}`);
  if (phase.profile !== undefined) {
    console.log(`  the one main thread while the generator sent (V8 sampling profile):`);
    printProfile('burndown', phase.profile);
  }
  for (const line of phase.bound) console.log(`  ▸ ${line}`);
  printSeries(phase.series, phase.window.from - phase.series.startedAt);
}

function printComparison(results: readonly ModeResult[], baseline: Baseline): void {
  const cell = (result: ModeResult, name: PhaseName): string => {
    const phase = result.phases.find((candidate) => candidate.name === name);
    if (phase === undefined) return result.error === undefined ? 'not run' : 'failed';
    if (name === 'throughput')
      return `${formatRate(phase.appliedPerSecond)} (${verdict(phase.appliedPerSecond, GOALS.burnPerSecond)})`;
    if (name === 'hot')
      return `${formatRate(phase.appliedPerSecond)} (${verdict(phase.appliedPerSecond, GOALS.hotPerSecond)})`;
    const latency = phase.latency as Latency;
    return (
      `p50 ${fixed(latency.fromAck.p50)} / p99 ${fixed(latency.fromAck.p99)} ms at ${formatRate(latency.ratePerSecond)} (${verdict(latency.fromAck.p99, GOALS.latencyP99Ms, false)}); ` +
      `from the send: p50 ${fixed(latency.fromSend.p50)} / p99 ${fixed(latency.fromSend.p99)} ms`
    );
  };
  const rows: [string, string, (result: ModeResult) => string][] = [
    [
      `end-to-end burn, ${config.customers} wallets, ${config.seconds} s`,
      `≥ ${formatRate(GOALS.burnPerSecond)}`,
      (result) => cell(result, 'throughput'),
    ],
    [
      'latency 202 → debited, half that rate',
      `p99 ≤ ${GOALS.latencyP99Ms} ms`,
      (result) => cell(result, 'latency'),
    ],
    [
      `hot wallet, ${config.seconds} s`,
      `≥ ${formatRate(GOALS.hotPerSecond)}`,
      (result) => cell(result, 'hot'),
    ],
  ];
  const ofPhases = (result: ModeResult, what: (phase: PhaseResult) => string) =>
    result.phases.length === 0
      ? result.error === undefined
        ? 'not run'
        : 'failed'
      : result.phases.map((phase) => `${phase.name} ${what(phase)}`).join(', ');
  const mb = (values: Readonly<Record<string, number>>) =>
    Object.entries(values)
      .map(([name, value]) => `${name} ${Math.round(value)} MB`)
      .join(', ') || 'n/a';
  const more: [string, (result: ModeResult) => string][] = [
    [
      `CPU per burned event, every process of the deployment (aim ≤ ${GOALS.cpuMicrosPerEvent} µs)`,
      (result) =>
        ofPhases(result, (phase) =>
          Number.isFinite(phase.cost.microsPerEvent)
            ? `${count(phase.cost.microsPerEvent)} µs`
            : 'n/a',
        ),
    ],
    [
      'event-store appends per burned event',
      (result) => ofPhases(result, (phase) => appendsPerEvent(phase.store)),
    ],
    ['idle RSS (VmRSS after the start, median of 5)', (result) => mb(result.memory.idle)],
    ['peak RSS (VmHWM)', (result) => mb(result.memory.peak)],
  ];
  console.log(`\n=== burn benchmark — ${machineLine()} ===`);
  console.log(describeBaseline(baseline));
  for (const [figure, goal, of] of rows) {
    console.log(`${figure} (goal ${goal}):`);
    for (const result of results) console.log(`  ${result.mode.padEnd(12)} ${of(result)}`);
  }
  for (const [figure, of] of more) {
    console.log(`${figure}:`);
    for (const result of results) console.log(`  ${result.mode.padEnd(12)} ${of(result)}`);
  }
}

/** pgbench while nothing else of the benchmark runs, or why not. */
async function postgresBaseline(): Promise<Baseline> {
  if (!config.baseline) return { ran: false, reason: 'skipped (BENCH_BASELINE=0)' };
  const host = process.env['BENCH_PG_HOST'] || BASELINE_DEFAULTS.host;
  const port = integer('BENCH_PG_PORT', BASELINE_DEFAULTS.port);
  const setup = { ...BASELINE_DEFAULTS, host, port, seconds: config.seconds };
  console.log(`\n=== Postgres baseline ===`);
  console.log(
    `pgbench -b tpcb-like, ${setup.clients} clients on ${setup.threads} threads, ${setup.seconds} s, against ${setup.database} (scale ${setup.scale}) at ${setup.user}@${host}:${port}…`,
  );
  return runPostgresBaseline(setup);
}

/** The whole machine's CPU use over the next `ms`. */
async function machineUse(ms: number) {
  const reader = new CpuReader([]);
  reader.sample();
  await sleep(ms);
  const samples = [reader.sample()].filter((sample) => sample !== undefined);
  return cpuUse(samples, [], 0, Number.MAX_SAFE_INTEGER).machine;
}

/** Busy below this (% of 200 %) over a second, the machine is as quiet as before the run. */
const SETTLED_BUSY_PERCENT = 10;
const SETTLE_MAX_SECONDS = 120;

/**
 * Waits until what ran before (pgbench's server-side aftermath, the previous deployment's files
 * being removed) no longer uses the machine, so it is not counted against the next deployment.
 */
async function settle(): Promise<void> {
  const started = Date.now();
  // What the run before wrote and the kernel has not yet: written back now, not during the next.
  const dirtyMB = dirtyPagesMB();
  execFileSync('sync');
  let use = await machineUse(1_000);
  while (use.busy >= SETTLED_BUSY_PERCENT && Date.now() - started < SETTLE_MAX_SECONDS * 1_000)
    use = await machineUse(1_000);
  const waited = ((Date.now() - started) / 1_000).toFixed(0);
  const state =
    use.busy < SETTLED_BUSY_PERCENT ? 'settled' : `still busy after ${SETTLE_MAX_SECONDS} s`;
  console.log(
    `machine ${state}: ${fixed(use.busy)}% busy of ${use.cores * 100}% over the last second, after writing back ${dirtyMB ?? '?'} MB of dirty pages (waited ${waited} s)`,
  );
}

/** Dirty page cache waiting to be written back, from /proc/meminfo; undefined where it cannot be read. */
function dirtyPagesMB(): number | undefined {
  try {
    const kib = /^Dirty:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
    return kib === undefined ? undefined : Math.round(Number(kib) / 1_024);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const runId = randomBytes(3).toString('hex');
  const date = new Date().toISOString();
  console.log(`burn benchmark ${runId} — ${machineLine()} — ${date}`);
  console.log(`config: ${JSON.stringify(config)}`);
  // How busy the machine is before we add anything: others share it.
  const before = await machineUse(3_000);
  console.log(
    `machine before the run: ${fixed(before.busy)}% busy of ${before.cores * 100}% (iowait ${fixed(before.iowait)}%, steal ${fixed(before.steal)}%)`,
  );

  const baseline = await postgresBaseline();
  console.log(describeBaseline(baseline));

  const generator = new Generator(new Int32Array(new SharedArrayBuffer(4 * COUNTER_SLOTS)));
  const results: ModeResult[] = [];
  try {
    for (const mode of config.modes) {
      await settle();
      results.push(await runMode(mode, generator, runId, baseline));
    }
  } finally {
    await generator.close();
  }
  printComparison(results, baseline);
  const checks = results.flatMap((result) => checksOf(figuresOf(result), baseline));
  printFloorsAndAims(checks);

  const figures = results.map(({ phases, ...result }) => ({
    ...result,
    phases: phases.map(({ series: _series, ...phase }) => phase),
  }));
  const report = {
    benchmark: 'burn',
    runId,
    date,
    machine: machineLine(),
    machineBusyBefore: before,
    config,
    goals: GOALS,
    baseline,
    checks,
    results: figures,
  };
  const file = process.env['BENCH_JSON_FILE'] || join(tmpdir(), `burn-bench-${runId}.json`);
  writeFileSync(file, JSON.stringify({ ...report, results }, null, 1));
  console.log(`\n(per-second series in ${file})`);
  console.log(JSON.stringify(report));
  if (results.some((result) => result.error !== undefined)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
