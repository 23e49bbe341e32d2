import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from './bench-support';

// What the burn benchmark's processes hold in memory, from /proc/<pid>/status: resident now
// (VmRSS) and the most they have held (VmHWM, the peak since start or since resetPeak).

export interface MemoryProcess {
  readonly name: string;
  readonly pid: number;
}

/** Megabytes (10^6 bytes) of a /proc/<pid>/status field given in kB; undefined when the process is gone. */
export function statusMB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const kB = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    )?.[1];
    return kB === undefined ? undefined : (Number(kB) * 1_024) / 1e6;
  } catch {
    return undefined;
  }
}

/** Starts the process's VmHWM again from its current RSS (Linux ≥ 4.0); false when /proc refuses. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Each process's resident memory at rest: the median of `samples` readings over `seconds`. */
export async function idleRss(
  processes: readonly MemoryProcess[],
  seconds = 2,
  samples = 5,
): Promise<Record<string, number>> {
  const readings = new Map<string, number[]>(processes.map(({ name }) => [name, []]));
  for (let sample = 0; sample < samples; sample++) {
    if (sample > 0) await sleep((seconds * 1_000) / (samples - 1));
    for (const { name, pid } of processes) {
      const mb = statusMB(pid, 'VmRSS');
      if (mb !== undefined) readings.get(name)?.push(mb);
    }
  }
  return Object.fromEntries(
    [...readings]
      .filter(([, values]) => values.length > 0)
      .map(([name, values]) => [name, median(values)]),
  );
}

/** Each process's peak resident memory so far. */
export function peakRss(processes: readonly MemoryProcess[]): Record<string, number> {
  const peaks: Record<string, number> = {};
  for (const { name, pid } of processes) {
    const mb = statusMB(pid, 'VmHWM');
    if (mb !== undefined) peaks[name] = mb;
  }
  return peaks;
}

/** One row per process: idle RSS against its limit, and the peak under load. */
export function printMemoryTable(
  idle: Readonly<Record<string, number>>,
  peak: Readonly<Record<string, number>>,
  limitOf: (process: string) => number | undefined,
  notes: Readonly<Record<string, string>> = {},
): void {
  const mb = (value: number | undefined) =>
    value === undefined ? '—' : Math.round(value).toLocaleString('en-US');
  console.log(
    `  memory, MB (10^6 bytes) from /proc/<pid>/status: idle = VmRSS after the start before any load (median of 5 readings over 2 s), peak = VmHWM at the end:`,
  );
  console.log(
    `    ${'process'.padEnd(13)}${['idle', 'idle limit', 'peak'].map((title) => title.padStart(12)).join('')}`,
  );
  for (const name of new Set([...Object.keys(idle), ...Object.keys(peak)])) {
    const limit = limitOf(name);
    const over = limit !== undefined && (idle[name] ?? 0) > limit ? ' OVER' : '';
    const cells = [mb(idle[name]), limit === undefined ? '—' : `≤ ${limit}`, mb(peak[name])]
      .map((cell) => cell.padStart(12))
      .join('');
    console.log(
      `    ${name.padEnd(13)}${cells}${over}${notes[name] === undefined ? '' : `  ${notes[name]}`}`,
    );
  }
}

/**
 * The embedded deployment's idle memory as `npm start` runs it: a process of its own on a fresh
 * data directory, read once it listens. The benchmark hosts the embedded services in its own
 * process for profiling, and that process also holds the load generator, the sampler and whatever
 * earlier modes left, so its RSS is not the embedded process's.
 */
export async function embeddedProcessIdleRss(root: string): Promise<number | undefined> {
  const dataDir = mkdtempSync(join(tmpdir(), 'burndown-idle-'));
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(root, 'tools/runtime/register-aliases.cjs'),
      join(root, 'dist/apps/burndown/src/main.js'),
    ],
    {
      env: {
        ...process.env,
        BURNDOWN_DATA_DIR: dataDir,
        BURNDOWN_PORT: '0',
        BURNDOWN_LOG_LEVEL: 'log',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const listening = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('listening on')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.on('exit', () => resolve(false));
    });
    if (!listening || child.pid === undefined) return undefined;
    return (await idleRss([{ name: 'burndown', pid: child.pid }]))['burndown'];
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) =>
      child.exitCode === null ? child.once('exit', resolve) : resolve(undefined),
    );
    rmSync(dataDir, { recursive: true, force: true });
  }
}
