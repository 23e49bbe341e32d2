import { setTimeout as sleep } from 'node:timers/promises';

// How often the services appended to their event stores per burned event: each process's
// `GET /health` says how many appends it has made since it started (countingEventStore), read
// before a phase's first send and again once the drain is over and the counters stopped moving.

export interface StoreCounts {
  readonly appends: number;
  readonly appendedEvents: number;
}

export interface HealthProcess {
  readonly name: string;
  readonly healthUrl?: string;
}

/** Per process; a string says why there is no figure (no answer, or a /health without counters). */
export type StoreReading = Readonly<Record<string, StoreCounts | string>>;

export interface StoreActivityUse {
  /** Debits seen applied between the two readings, every phase's. */
  readonly burned: number;
  /** False when the counters still moved when the wait for them to settle ended. */
  readonly settled: boolean;
  /** What each process appended between the readings, or why it is not known. */
  readonly byProcess: Readonly<Record<string, StoreCounts | string>>;
  /** Over every process; undefined when one of them has no figure. */
  readonly total?: StoreCounts;
}

async function countsOf(url: string): Promise<StoreCounts | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    const store = ((await response.json()) as { store?: Partial<StoreCounts> } | null)?.store;
    if (typeof store?.appends !== 'number' || typeof store.appendedEvents !== 'number')
      return '/health has no store counters';
    return { appends: store.appends, appendedEvents: store.appendedEvents };
  } catch (error) {
    return `/health: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export async function readStores(processes: readonly HealthProcess[]): Promise<StoreReading> {
  const asked = processes.filter(
    (process): process is Required<HealthProcess> => process.healthUrl !== undefined,
  );
  const answers = await Promise.all(asked.map((process) => countsOf(process.healthUrl)));
  return Object.fromEntries(
    asked.map((process, index) => [process.name, answers[index] as StoreCounts | string]),
  );
}

const sameReading = (a: StoreReading, b: StoreReading) => JSON.stringify(a) === JSON.stringify(b);

/** Reads once a second until a reading equals the one before it, for at most `maxSeconds`. */
export async function settledStores(
  processes: readonly HealthProcess[],
  maxSeconds = 10,
): Promise<{ reading: StoreReading; settled: boolean }> {
  const until = Date.now() + maxSeconds * 1_000;
  let reading = await readStores(processes);
  while (Date.now() < until) {
    await sleep(1_000);
    const next = await readStores(processes);
    const settled = sameReading(next, reading);
    reading = next;
    if (settled) return { reading, settled: true };
  }
  return { reading, settled: false };
}

export function storeActivityBetween(
  before: StoreReading,
  after: StoreReading,
  burned: number,
  settled: boolean,
): StoreActivityUse {
  const byProcess: Record<string, StoreCounts | string> = {};
  for (const [name, now] of Object.entries(after)) {
    const then = before[name];
    if (typeof now === 'string') byProcess[name] = now;
    else if (then === undefined || typeof then === 'string')
      byProcess[name] = then ?? 'not read before the phase';
    else
      byProcess[name] = {
        appends: now.appends - then.appends,
        appendedEvents: now.appendedEvents - then.appendedEvents,
      };
  }
  const known = Object.values(byProcess).filter(
    (counts): counts is StoreCounts => typeof counts !== 'string',
  );
  const complete = known.length > 0 && known.length === Object.keys(byProcess).length;
  const total = complete
    ? known.reduce(
        (sum, counts) => ({
          appends: sum.appends + counts.appends,
          appendedEvents: sum.appendedEvents + counts.appendedEvents,
        }),
        { appends: 0, appendedEvents: 0 },
      )
    : undefined;
  return { burned, settled, byProcess, ...(total === undefined ? {} : { total }) };
}

const ratio = (value: number, burned: number) =>
  burned > 0 ? (value / burned).toFixed(value / burned >= 0.1 || value === 0 ? 2 : 3) : 'n/a';

/** `0.21` appends per burned event, or why there is no figure. */
export function appendsPerEvent(use: StoreActivityUse): string {
  if (use.total === undefined) return 'n/a (no counters)';
  if (use.total.appends === 0) return 'n/a (no appends counted)';
  return use.burned > 0 ? ratio(use.total.appends, use.burned) : 'n/a (nothing burned)';
}

/** The phase's line: appends and stored events per burned event, by process when there are several. */
export function describeStoreActivity(use: StoreActivityUse): string {
  const count = (value: number) => value.toLocaleString('en-US');
  const reasons = [
    ...new Set(
      Object.values(use.byProcess).filter((counts): counts is string => typeof counts === 'string'),
    ),
  ];
  if (use.total === undefined)
    return `event-store appends per burned event: n/a — ${reasons.join('; ') || 'no process answers /health'}`;
  const { total, burned } = use;
  if (total.appends === 0)
    return `event-store appends per burned event: n/a — no process counted an append (is its event store wrapped in countingEventStore, libs/platform/runtime/src/infrastructure.ts?)`;
  const processes = Object.entries(use.byProcess) as [string, StoreCounts][];
  const split =
    processes.length > 1
      ? `; by process, appends (events) per burned event: ${processes.map(([name, counts]) => `${name} ${ratio(counts.appends, burned)} (${ratio(counts.appendedEvents, burned)})`).join(', ')}`
      : '';
  return (
    `event-store appends per burned event: ${ratio(total.appends, burned)}, storing ${ratio(total.appendedEvents, burned)} events per burned event${split} — ` +
    `${count(total.appends)} appends of ${count(total.appendedEvents)} events for ${count(burned)} debits applied between /health before the first send and after the drain` +
    (use.settled ? '' : ' (the counters still moved 10 s after the drain; counted up to then)')
  );
}
