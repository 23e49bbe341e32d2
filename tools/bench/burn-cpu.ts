import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { cpus } from 'node:os';
import { wallClockMs } from './burn-protocol';

// Where the CPU went while the burn benchmark ran, read from /proc once a second: each process
// (and, inside a Node process, its threads: the main thread runs all JavaScript, V8Worker threads
// run GC and compilation, libuv-worker threads run fs and crypto jobs), the machine as a whole
// (busy, waiting for I/O, stolen by the hypervisor) and whatever else ran on it.

/** USER_HZ: /proc counts CPU time in these ticks (100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

export type ThreadKind = 'main' | 'services' | 'gc' | 'libuv' | 'generator' | 'sampler' | 'other';
const THREAD_KINDS: readonly ThreadKind[] = [
  'main',
  'services',
  'gc',
  'libuv',
  'generator',
  'sampler',
  'other',
];

export interface CpuTarget {
  readonly name: string;
  readonly pid: number;
  /** Only threads of these kinds count (the bench process holds its own threads apart). */
  readonly threads?: readonly ThreadKind[];
  /** Count the process's bytes written (once per process: give it to one of its targets). */
  readonly io?: boolean;
}

/** CPU in percent of one core (a saturated single-threaded process is 100), writes in MB/s. */
export interface TargetUse {
  readonly cpu: number;
  readonly threads: Readonly<Record<ThreadKind, number>>;
  /** The busiest one-second sample of the main thread: a saturated event loop shows here. */
  readonly peakMain: number;
  readonly writtenMBps: number;
  readonly toDiskMBps: number;
}

export interface MachineUse {
  readonly cores: number;
  /** Percent of one core, so 2 saturated cores are 200. */
  readonly busy: number;
  readonly iowait: number;
  readonly steal: number;
  /** Busy time no measured target accounts for: other processes on the machine, the kernel's own work. */
  readonly unaccounted: number;
}

export interface CpuUse {
  readonly seconds: number;
  readonly targets: Readonly<Record<string, TargetUse>>;
  readonly machine: MachineUse;
}

interface TaskTimes {
  readonly kind: ThreadKind;
  readonly ticks: number;
}

interface ProcessReading {
  readonly total: number;
  readonly tasks: ReadonlyMap<number, TaskTimes>;
  readonly wchar: number;
  readonly writeBytes: number;
}

interface MachineReading {
  readonly busy: number;
  readonly iowait: number;
  readonly steal: number;
}

interface TargetTicks {
  readonly total: number;
  readonly threads: Readonly<Record<ThreadKind, number>>;
  readonly wchar: number;
  readonly writeBytes: number;
}

/** One interval's ticks (plain data: it crosses from the sampler thread). */
export interface RawCpuSample {
  readonly at: number;
  readonly seconds: number;
  readonly targets: Readonly<Record<string, TargetTicks>>;
  readonly machine: MachineReading;
}

/** One interval's use, for the per-second time series. */
export interface CpuSample {
  readonly at: number;
  readonly seconds: number;
  /** Percent of one core per target. */
  readonly cpu: Readonly<Record<string, number>>;
  readonly main: Readonly<Record<string, number>>;
  readonly machineBusy: number;
}

const zeroThreads = () =>
  Object.fromEntries(THREAD_KINDS.map((kind) => [kind, 0])) as Record<ThreadKind, number>;

/** Reads /proc; each reading after the first gives the interval since the one before. */
export class CpuReader {
  private previous:
    { at: number; processes: Map<number, ProcessReading>; machine: MachineReading } | undefined;

  constructor(private readonly targets: readonly CpuTarget[]) {}

  sample(): RawCpuSample | undefined {
    const at = wallClockMs();
    const processes = new Map<number, ProcessReading>();
    for (const pid of new Set(this.targets.map((target) => target.pid))) {
      const reading = readProcess(pid);
      if (reading !== undefined) processes.set(pid, reading);
    }
    const machine = readMachine();
    const previous = this.previous;
    this.previous = { at, processes, machine };
    if (previous === undefined) return undefined;
    const targets: Record<string, TargetTicks> = {};
    for (const target of this.targets) {
      const now = processes.get(target.pid);
      const before = previous.processes.get(target.pid);
      if (now === undefined || before === undefined) continue;
      const threads = zeroThreads();
      let counted = 0;
      for (const [tid, task] of now.tasks) {
        if (target.threads !== undefined && !target.threads.includes(task.kind)) continue;
        // A thread born since the last reading brings all its time since birth, which is this interval's.
        const delta = Math.max(0, task.ticks - (before.tasks.get(tid)?.ticks ?? 0));
        threads[task.kind] += delta;
        counted += delta;
      }
      // A whole process also keeps the time of threads that ended during the interval.
      const total =
        target.threads === undefined ? Math.max(counted, now.total - before.total) : counted;
      targets[target.name] = {
        total,
        threads,
        wchar: target.io ? now.wchar - before.wchar : 0,
        writeBytes: target.io ? now.writeBytes - before.writeBytes : 0,
      };
    }
    return {
      at,
      seconds: (at - previous.at) / 1_000,
      targets,
      machine: {
        busy: machine.busy - previous.machine.busy,
        iowait: machine.iowait - previous.machine.iowait,
        steal: machine.steal - previous.machine.steal,
      },
    };
  }
}

const inside = (samples: readonly RawCpuSample[], from: number, to: number) =>
  samples.filter((sample) => sample.at > from && sample.at <= to + 1);

/** What was used between two wall-clock instants (the samples that ended inside them). */
export function cpuUse(
  samples: readonly RawCpuSample[],
  targetNames: readonly string[],
  from: number,
  to: number,
): CpuUse {
  const within = inside(samples, from, to);
  const seconds = within.reduce((sum, sample) => sum + sample.seconds, 0);
  const percent = (ticks: number) => (seconds > 0 ? (100 * ticks) / TICKS_PER_SECOND / seconds : 0);
  const targets: Record<string, TargetUse> = {};
  let accounted = 0;
  for (const name of targetNames) {
    const threads = zeroThreads();
    let total = 0;
    let wchar = 0;
    let writeBytes = 0;
    let peakMain = 0;
    for (const sample of within) {
      const ticks = sample.targets[name];
      if (ticks === undefined) continue;
      total += ticks.total;
      wchar += ticks.wchar;
      writeBytes += ticks.writeBytes;
      for (const kind of THREAD_KINDS) threads[kind] += ticks.threads[kind];
      if (sample.seconds > 0)
        peakMain = Math.max(
          peakMain,
          (100 * ticks.threads.main) / TICKS_PER_SECOND / sample.seconds,
        );
    }
    accounted += total;
    targets[name] = {
      cpu: percent(total),
      threads: Object.fromEntries(
        THREAD_KINDS.map((kind) => [kind, percent(threads[kind])]),
      ) as Record<ThreadKind, number>,
      peakMain,
      writtenMBps: seconds > 0 ? wchar / 1e6 / seconds : 0,
      toDiskMBps: seconds > 0 ? writeBytes / 1e6 / seconds : 0,
    };
  }
  const machineTicks = (field: keyof MachineReading) =>
    within.reduce((sum, sample) => sum + sample.machine[field], 0);
  const busy = machineTicks('busy');
  return {
    seconds,
    targets,
    machine: {
      cores: cpus().length,
      busy: percent(busy),
      iowait: percent(machineTicks('iowait')),
      steal: percent(machineTicks('steal')),
      unaccounted: Math.max(0, percent(busy - accounted)),
    },
  };
}

/** The per-second samples between two instants, for the time series. */
export function cpuSeries(samples: readonly RawCpuSample[], from: number, to: number): CpuSample[] {
  return inside(samples, from, to).map((sample) => {
    const percent = (ticks: number) =>
      sample.seconds > 0 ? Math.round((100 * ticks) / TICKS_PER_SECOND / sample.seconds) : 0;
    const cpu: Record<string, number> = {};
    const main: Record<string, number> = {};
    for (const [name, ticks] of Object.entries(sample.targets)) {
      cpu[name] = percent(ticks.total);
      main[name] = percent(ticks.threads.main);
    }
    return {
      at: sample.at,
      seconds: sample.seconds,
      cpu,
      main,
      machineBusy: percent(sample.machine.busy),
    };
  });
}

/**
 * How the kernel names Burndown's service thread: its Worker's name (SERVICE_THREAD_NAME of
 * @burndown/runtime, which this file does not import: the sampler thread loads it), cut to 15.
 */
export const SERVICE_THREAD_COMM = 'burndown-svc';

function kindOf(pid: number, tid: number, name: string): ThreadKind {
  if (tid === pid) return 'main';
  if (name === 'burn-load') return 'generator';
  if (name === 'burn-sampler') return 'sampler';
  // Burndown's service thread (its Worker is named so; the kernel keeps 15 characters).
  if (name === SERVICE_THREAD_COMM) return 'services';
  if (name.startsWith('V8') || name === 'DelayedTaskSche') return 'gc';
  if (name.startsWith('libuv')) return 'libuv';
  return 'other';
}

/** utime + stime of a /proc stat line; the name in parentheses may itself hold spaces. */
function statTicks(line: string): { name: string; ticks: number } {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  const fields = line.slice(close + 2).split(' ');
  // After the name: state is field 3 of the man page, utime 14 and stime 15.
  return { name: line.slice(open + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
}

function readProcess(pid: number): ProcessReading | undefined {
  try {
    const total = statTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')).ticks;
    const tasks = new Map<number, TaskTimes>();
    for (const entry of readdirSync(`/proc/${pid}/task`)) {
      const tid = Number(entry);
      try {
        const { name, ticks } = statTicks(readFileSync(`/proc/${pid}/task/${entry}/stat`, 'utf8'));
        tasks.set(tid, { kind: kindOf(pid, tid, name), ticks });
      } catch {
        // The thread ended between listing and reading.
      }
    }
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? 0);
    return { total, tasks, wchar: field('wchar'), writeBytes: field('write_bytes') };
  } catch {
    return undefined;
  }
}

function readMachine(): MachineReading {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user, nice, system, , iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return {
    busy: (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0),
    iowait: iowait ?? 0,
    steal: steal ?? 0,
  };
}

const processIds = (): string[] => readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));

/** The pid of a local process by its name, if exactly one runs. */
export function pidOf(name: string): number | undefined {
  const found: number[] = [];
  for (const entry of processIds()) {
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found.length === 1 ? found[0] : undefined;
}

/** The pid of the local process listening on a TCP port (e.g. the nats-server the benchmark talks to). */
export function pidListeningOn(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex, st 0A is LISTEN, the inode is the tenth field.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9] !== undefined)
        inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of processIds()) {
    try {
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`))?.[1];
        if (socket !== undefined && inodes.has(socket)) return Number(entry);
      }
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return undefined;
}
