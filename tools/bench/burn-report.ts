import type { CpuSample, CpuUse, TargetUse } from './burn-cpu';
import type { ProfileSummary } from './burn-profile';
import type { CounterPoint } from './burn-protocol';
import type { ConsumerPending, SystemUnderTest } from './burn-systems';

// The burn benchmark's readable output: where the CPU went, where the events waited, and which
// stage that makes the bound, with the measurements that say so.

export type SeriesPoint = CounterPoint;

export interface PhaseSeries {
  readonly startedAt: number;
  readonly points: readonly SeriesPoint[];
  readonly cpu: readonly CpuSample[];
  readonly consumers: readonly ConsumerPending[];
}

/** The pipeline over the window: what each stage put out per second, and what waited in front of it on average. */
export interface Flow {
  /** Events answered 202 per second (ingestion's output). */
  readonly ingestedPerSecond: number;
  /** Debits stored on the bus per second (rating's output). */
  readonly ratedPerSecond: number;
  /** Debits applied per second, every phase's (wallets' output). */
  readonly appliedPerSecond: number;
  /** Sent to ingestion and not yet answered. */
  readonly inRequests: number;
  readonly requestsInFlight: number;
  /** Stored on the bus as usage, not yet rated into a debit. */
  readonly forRating: number;
  /** Rated into a debit, not yet applied (wallet.debited not yet published). */
  readonly forWallets: number;
  /** NATS: of `forRating`, not yet acknowledged by rating's consumer; the rest is rated and waits for rating's relay. */
  readonly untakenByRating?: number;
  /** NATS: of `forWallets`, not yet acknowledged by wallets' consumers; the rest is applied and waits for the wallets' relay. */
  readonly untakenByWallets?: number;
}

type Stage = 'ingestion' | 'rating' | 'wallets';

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const count = (value: number) => Math.round(value).toLocaleString('en-US');

export function printCpuTable(cpu: CpuUse): void {
  const cores = cpu.machine.cores;
  console.log(
    `  CPU over the window, % of one core (${cores} cores = ${cores * 100}%); main = the thread running the JavaScript:`,
  );
  console.log(
    `    ${'process'.padEnd(13)}${['total', 'main', 'services', 'gc/jit', 'libuv', 'other', 'peak main', 'written MB/s', 'to disk MB/s'].map((title) => title.padStart(13)).join('')}`,
  );
  for (const [name, use] of Object.entries(cpu.targets)) {
    const cells = [
      use.cpu,
      use.threads.main + use.threads.generator + use.threads.sampler,
      use.threads.services,
      use.threads.gc,
      use.threads.libuv,
      use.threads.other,
      use.peakMain,
    ].map((value) => fixed(value));
    const io =
      use.writtenMBps === 0 && use.toDiskMBps === 0
        ? ['', '']
        : [fixed(use.writtenMBps, 1), fixed(use.toDiskMBps, 1)];
    console.log(
      `    ${name.padEnd(13)}${[...cells, ...io].map((cell) => cell.padStart(13)).join('')}`,
    );
  }
  const { machine } = cpu;
  console.log(
    `    machine: busy ${fixed(machine.busy)}% of ${cores * 100}%, iowait ${fixed(machine.iowait)}%, steal ${fixed(machine.steal)}%; ` +
      `${fixed(machine.unaccounted)}% busy outside the processes above (other processes, the kernel)`,
  );
}

/**
 * Which stage bounds the figure, and what its process was doing meanwhile. Closed loop: the
 * slowest stage among those with work waiting in front of it (in a steady state the queue sits in
 * front of the bound; while it settles, a faster stage upstream may still hold more). Open loop:
 * the stage in front of which events waited most (by Little's law, where their time went).
 */
export function explainBound(
  sut: SystemUnderTest,
  cpu: CpuUse,
  flow: Flow,
  setup: {
    readonly kind: 'closed' | 'open';
    readonly window: number;
    readonly concurrency: number;
  },
): string[] {
  const lines: string[] = [];
  const stages: { stage: Stage; rate: number; waiting: number }[] = [
    { stage: 'ingestion', rate: flow.ingestedPerSecond, waiting: flow.inRequests },
    { stage: 'rating', rate: flow.ratedPerSecond, waiting: flow.forRating },
    { stage: 'wallets', rate: flow.appliedPerSecond, waiting: flow.forWallets },
  ];
  lines.push(
    `over the window: 202s at ${count(flow.ingestedPerSecond)}/s → rated ${count(flow.ratedPerSecond)}/s → applied ${count(flow.appliedPerSecond)}/s; ` +
      `waiting on average: ${count(flow.inRequests)} events in requests to ingestion (${fixed(flow.requestsInFlight, 1)} requests in flight), ` +
      `${count(flow.forRating)} stored and not yet rated${inside(flow.untakenByRating, flow.forRating, "rating's", 'DEBITS')}, ` +
      `${count(flow.forWallets)} rated and not yet applied${inside(flow.untakenByWallets, flow.forWallets, "wallets'", 'wallet.debited')}` +
      (setup.kind === 'closed'
        ? ` (the generator allows ${count(setup.window)} sent and not applied)`
        : ''),
  );
  const waiting = stages.reduce((sum, stage) => sum + stage.waiting, 0);
  if (waiting === 0) return lines;
  if (
    setup.kind === 'closed' &&
    flow.requestsInFlight < setup.concurrency * 0.8 &&
    waiting < setup.window * 0.5
  ) {
    lines.push(
      `no stage held the events: the generator did not keep its ${setup.concurrency} requests in flight — raise BENCH_CONCURRENCY`,
    );
    return lines;
  }
  const loaded = stages.filter((stage) => stage.waiting >= 0.1 * waiting);
  const bound =
    setup.kind === 'closed'
      ? loaded.reduce((slowest, stage) => (stage.rate < slowest.rate ? stage : slowest))
      : stages.reduce((most, stage) => (stage.waiting > most.waiting ? stage : most));
  const owner = sut.owner[bound.stage];
  const use = cpu.targets[owner];
  if (use === undefined) return lines;
  const shared = new Set(Object.values(sut.owner)).size === 1;
  const where = shared
    ? `${bound.stage} (all three stages run in ${owner}${use.threads.services > 0 ? ', rating on its service thread' : "'s one main thread"})`
    : bound.stage;
  const lead =
    setup.kind === 'closed'
      ? `the bound is ${where}`
      : `at this rate events wait longest in front of ${where}`;
  const cores = cpu.machine.cores;
  const serviceThread =
    use.threads.services > 0 ? `, service thread ${fixed(use.threads.services)}%` : '';
  const state = `${owner} used ${fixed(use.cpu)}% (main thread ${fixed(use.threads.main)}%, busiest second ${fixed(use.peakMain)}%${serviceThread}, GC/JIT threads ${fixed(use.threads.gc)}%)`;
  if (use.threads.main >= 85) {
    lines.push(`${lead}, and it is CPU-bound: ${state} — its event loop had no idle time left`);
  } else if (cpu.machine.busy >= 0.9 * cores * 100) {
    lines.push(
      `${lead}; the machine's ${cores} cores are full (${fixed(cpu.machine.busy)}% of ${cores * 100}%), so it competes for CPU: ${state}; the others: ${others(cpu, owner)}`,
    );
  } else {
    const waitsOn =
      bound.stage === 'ingestion'
        ? `for the bus to acknowledge its publishes${cpu.targets['nats-server'] === undefined ? '' : ` (nats-server ${fixed(cpu.targets['nats-server'].cpu)}%)`}`
        : `on its store or the bus (it writes ${fixed(use.writtenMBps, 1)} MB/s, ${fixed(use.toDiskMBps, 1)} MB/s reach the disk; machine iowait ${fixed(cpu.machine.iowait)}%)`;
    lines.push(
      `${lead}, and it is not CPU-bound: ${state}, machine ${fixed(cpu.machine.busy)}% of ${cores * 100}% — it waits ${waitsOn}`,
    );
  }
  return lines;
}

/** How much of a stage's queue its consumer has not acknowledged, and how much it has but its relay has not published yet. */
function inside(
  untaken: number | undefined,
  waiting: number,
  whose: string,
  relayedTo: string,
): string {
  if (untaken === undefined || waiting < 1) return '';
  const taken = Math.max(0, waiting - untaken);
  return ` (${count(Math.min(untaken, waiting))} not yet acknowledged by ${whose} consumer, ${count(taken)} acknowledged and not yet relayed to ${relayedTo})`;
}

function others(cpu: CpuUse, except: string): string {
  return (Object.entries(cpu.targets) as [string, TargetUse][])
    .filter(([name]) => name !== except)
    .sort((a, b) => b[1].cpu - a[1].cpu)
    .slice(0, 4)
    .map(([name, use]) => `${name} ${fixed(use.cpu)}%`)
    .concat(cpu.machine.unaccounted >= 5 ? [`outside ours ${fixed(cpu.machine.unaccounted)}%`] : [])
    .join(', ');
}

/** About a dozen rows over the phase: rates between rows, what waited at each row, CPU between rows. */
export function printSeries(series: PhaseSeries, windowStartMs: number): void {
  const points = series.points;
  if (points.length < 2) return;
  const durationSeconds =
    ((points[points.length - 1] as SeriesPoint).at - series.startedAt) / 1_000;
  const step = Math.max(1, Math.round(durationSeconds / 12));
  const names = Object.keys(series.cpu[0]?.cpu ?? {});
  const header = [
    't s',
    "202'd/s",
    'rated/s',
    'applied/s',
    'in req',
    '→rating',
    '→wallets',
    ...names.map((name) => name.slice(0, 9)),
    'machine',
  ];
  console.log(
    `  every ${step} s (t from the first send; the window opens at ${fixed(windowStartMs / 1_000, 1)} s; CPU % of one core, rows after the last send are the drain):`,
  );
  console.log(`    ${header.map((title) => title.padStart(10)).join('')}`);
  let previous = points[0] as SeriesPoint;
  for (let index = 1; index < points.length; index++) {
    const point = points[index] as SeriesPoint;
    if ((point.at - previous.at) / 1_000 < step - 0.5 && index < points.length - 1) continue;
    const seconds = (point.at - previous.at) / 1_000;
    const samples = series.cpu.filter((sample) => sample.at > previous.at && sample.at <= point.at);
    const meanCpu = (name: string) =>
      samples.length === 0
        ? NaN
        : samples.reduce((sum, sample) => sum + (sample.cpu[name] ?? 0), 0) / samples.length;
    const machine =
      samples.length === 0
        ? NaN
        : samples.reduce((sum, sample) => sum + sample.machineBusy, 0) / samples.length;
    const cells = [
      fixed((point.at - series.startedAt) / 1_000),
      count((point.stored - previous.stored) / seconds),
      count((point.debits - previous.debits) / seconds),
      count((point.applied - previous.applied) / seconds),
      count(point.sent - point.stored),
      count(Math.max(0, point.usage - point.debits)),
      count(Math.max(0, point.debits - point.appliedAll)),
      ...names.map((name) => fixed(meanCpu(name))),
      fixed(machine),
    ];
    console.log(`    ${cells.map((cell) => cell.padStart(10)).join('')}`);
    previous = point;
  }
}

/** A profile in a line: how much of the time the thread was not idle, and what code that time went to. */
export function printProfile(name: string, summary: ProfileSummary): void {
  const list = summary.byCode
    .filter(([, percent]) => percent >= 0.5)
    .map(([what, percent]) => `${what} ${fixed(percent)}`)
    .join(', ');
  console.log(
    `    ${name}: not idle ${fixed(summary.busy)}% of ${fixed(summary.wallMs / 1_000, 1)} s; of that, % by code: ${list}`,
  );
  const top = summary.topFunctions
    .map(([what, percent]) => `${fixed(percent, 1)}% ${what}`)
    .join('; ');
  console.log(`      top functions (self time): ${top}`);
}
