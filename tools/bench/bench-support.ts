import { cpus, totalmem } from 'node:os';

/** What the numbers were measured on, printed above them. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `node ${process.version} on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Runs `work` `runs` times after one warm-up and returns each run's milliseconds. */
export function timeRuns(runs: number, work: () => void): number[] {
  work();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

export const formatRate = (perSecond: number): string =>
  `${Math.round(perSecond).toLocaleString('en-US')}/s`;

export function verdict(measured: number, goal: number, higherIsBetter = true): string {
  const met = higherIsBetter ? measured >= goal : measured <= goal;
  return met ? 'meets the goal' : 'MISSES the goal';
}
