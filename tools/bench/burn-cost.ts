import type { CpuUse } from './burn-cpu';

// What a burned event cost in CPU: the CPU time every process of the deployment used over the
// measured window, divided by the debits applied over it (both rates over the same window).

export interface CpuCost {
  /** Microseconds of CPU per applied debit, over every process of the deployment. */
  readonly microsPerEvent: number;
  readonly byProcess: Readonly<Record<string, number>>;
}

/** `processes`: the deployment's (not the load generator's or the sampler's) targets of `cpu`. */
export function cpuCost(
  cpu: CpuUse,
  processes: readonly string[],
  appliedPerSecond: number,
): CpuCost {
  const micros = (name: string) => {
    const use = cpu.targets[name];
    // Percent of a core is CPU-seconds per second; over events per second, seconds per event.
    return use === undefined || appliedPerSecond <= 0
      ? NaN
      : (use.cpu / 100 / appliedPerSecond) * 1e6;
  };
  const byProcess = Object.fromEntries(
    processes.filter((name) => cpu.targets[name] !== undefined).map((name) => [name, micros(name)]),
  );
  const values = Object.values(byProcess);
  return {
    microsPerEvent: values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0),
    byProcess,
  };
}

const micros = (value: number) =>
  Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')} µs` : 'n/a';

export function describeCpuCost(cost: CpuCost, aimMicros: number): string {
  const names = Object.keys(cost.byProcess);
  const split =
    names.length > 1
      ? ` (${names.map((name) => `${name} ${micros(cost.byProcess[name] as number).replace(' µs', '')}`).join(', ')})`
      : ` (${names.join('')})`;
  return `CPU per burned event: ${micros(cost.microsPerEvent)} over the window, summed over the deployment's processes${split}; aim ≤ ${aimMicros} µs`;
}
