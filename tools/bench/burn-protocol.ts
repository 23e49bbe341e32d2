import type { RawCpuSample } from './burn-cpu';

// What the burn benchmark's coordinator (burn.bench.ts), its load generator thread (burn-load.ts)
// and its sampler thread (burn-sampler.ts) say to each other. Free of workspace imports: the
// threads load it.

/**
 * Slots of the shared counter array. The first four belong to the running phase (zeroed at its
 * start); the rest count since the system under test started. Written with Atomics by whoever
 * knows (generator thread, observer, system adapter), read once a second by the sampler thread,
 * which keeps counting even while the embedded services starve the main thread's event loop.
 */
export const COUNTER = {
  /** Debits of the running phase seen applied (distinct usage event ids), written by the observer. */
  applied: 0,
  /** Events put into requests so far (first attempts only). */
  sent: 1,
  /** Events answered accepted or duplicate by a 202. */
  stored: 2,
  /** Requests on their way. */
  requestsInFlight: 3,
  /** Usage events stored on the bus (ingestion's output, rating's input). */
  usage: 4,
  /** Rated debits stored on the bus (rating's output, wallets' input). */
  debits: 5,
  /** Debits seen applied, every phase's. */
  appliedAll: 6,
} as const;
export const COUNTER_SLOTS = 7;
export const PHASE_COUNTERS = 4;

export interface LoadPlan {
  /** `closed`: as fast as the pipeline applies, at most `window` events sent but not applied. `open`: a fixed rate. */
  readonly kind: 'closed' | 'open';
  /** Prefix of every event id of the phase: `<tag>.<sequence>`. */
  readonly tag: string;
  readonly ingestionUrl: string;
  readonly apiKey: string;
  /** Event `n` goes to `customers[n % customers.length]`. */
  readonly customers: readonly string[];
  readonly quantity: string;
  readonly durationMs: number;
  /** closed: events per request. */
  readonly batchSize: number;
  /** closed: requests at once. */
  readonly concurrency: number;
  /** closed: most events sent and not yet seen applied. */
  readonly window: number;
  /** open: events per second. */
  readonly ratePerSecond: number;
  /** open: one request every this many milliseconds, carrying the events due by then. */
  readonly tickMs: number;
}

export interface LoadResult {
  readonly tag: string;
  /** Wall-clock milliseconds (timeOrigin + now), comparable across threads. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly sent: number;
  /** Answered accepted or duplicate (a retried batch's stored events come back as duplicates). */
  readonly stored: number;
  readonly duplicates: number;
  readonly requests: number;
  /** Answers that asked us to come back later, each retried after its Retry-After. */
  readonly status429: number;
  readonly status503: number;
  /** Connection failures and other statuses, retried after a second. */
  readonly httpErrors: number;
  readonly firstErrors: readonly string[];
  /** open: the most a request left after its scheduled time. */
  readonly maxScheduleLagMs: number;
  /** Per request, four numbers: first sequence, event count, first send, final 202. */
  readonly batches: Float64Array;
  /** The generator thread's own CPU (process.threadCpuUsage), microseconds. */
  readonly cpuMicros: { readonly user: number; readonly system: number };
}

/** The counters as the sampler thread read them. */
export interface CounterPoint {
  readonly at: number;
  readonly sent: number;
  readonly stored: number;
  readonly applied: number;
  readonly requestsInFlight: number;
  readonly usage: number;
  readonly debits: number;
  readonly appliedAll: number;
}

export type ToSampler = { readonly type: 'flush' } | { readonly type: 'exit' };
export type FromSampler = {
  readonly type: 'samples';
  readonly cpu: readonly RawCpuSample[];
  readonly points: readonly CounterPoint[];
};

export type ToGenerator =
  { readonly type: 'run'; readonly plan: LoadPlan } | { readonly type: 'exit' };
export type FromGenerator =
  | { readonly type: 'done'; readonly result: LoadResult }
  | { readonly type: 'failed'; readonly message: string };

/** Absolute milliseconds with sub-millisecond resolution, the same clock in every thread and process. */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

export const eventId = (tag: string, sequence: number): string => `${tag}.${sequence}`;

/** The sequence of an event id of `tag`, or undefined for another phase's or anyone else's id. */
export function sequenceOf(
  id: string,
): { readonly tag: string; readonly sequence: number } | undefined {
  const dot = id.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const sequence = Number(id.slice(dot + 1));
  return Number.isInteger(sequence) && sequence >= 0
    ? { tag: id.slice(0, dot), sequence }
    : undefined;
}
