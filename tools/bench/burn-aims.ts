import { formatRate } from './bench-support';
import type { Mode } from './burn-systems';
import type { Baseline } from './postgres-baseline';

// What the burn figures are held against: floors relative to plain PostgreSQL on the same
// machine (postgres-baseline.ts), and absolute aims. Each becomes one check, said in a sentence
// after the deployment's phases and as one row of the closing "floors and aims" table.

export const GOALS = {
  burnPerSecond: 20_000,
  latencyP99Ms: 250,
  hotPerSecond: 10_000,
  cpuMicrosPerEvent: 100,
} as const;

/** Burn and hot wallet, each at least this many times the Postgres baseline's tps. */
export const BASELINE_FLOORS: Readonly<
  Record<Mode, { readonly burn: number; readonly hot: number }>
> = {
  embedded: { burn: 2, hot: 1 },
  distributed: { burn: 1, hot: 1 },
};

/** Resident memory at rest, MB per process: each distributed service, the one embedded process. */
export function idleLimitMB(mode: Mode, process: string): number | undefined {
  if (mode === 'embedded') return process === 'burndown' ? 250 : undefined;
  return process === 'nats-server' ? undefined : 150;
}

export interface ModeFigures {
  readonly mode: Mode;
  readonly burnPerSecond?: number;
  readonly hotPerSecond?: number;
  readonly latencyP99Ms?: number;
  /** Of the sustained-burn (throughput) phase. */
  readonly cpuMicrosPerEvent?: number;
  readonly idleRssMB: Readonly<Record<string, number>>;
}

export interface Check {
  readonly mode: Mode;
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  /** Undefined when there is nothing to hold against it (not measured, or no baseline). */
  readonly met?: boolean;
  /** The sentence printed with the deployment's figures. */
  readonly line: string;
}

const verdictOf = (met: boolean | undefined) =>
  met === undefined ? 'n/a' : met ? 'met' : 'NOT MET';

function baselineCheck(
  mode: Mode,
  what: 'burn' | 'hot wallet',
  perSecond: number | undefined,
  baseline: Baseline,
  floor: number,
): Check {
  const target = `floor ≥ ${floor}× baseline`;
  const figure = `${what} ÷ Postgres baseline`;
  if (perSecond === undefined)
    return {
      mode,
      figure,
      value: 'n/a',
      target,
      line: `${mode} ${what}: not measured (${target})`,
    };
  const measured = formatRate(perSecond);
  if (!baseline.ran)
    return {
      mode,
      figure,
      value: 'n/a',
      target,
      line: `${mode} ${what} ${measured} = n/a × Postgres baseline (no baseline; ${target})`,
    };
  const ratio = perSecond / baseline.tps;
  const met = ratio >= floor;
  return {
    mode,
    figure,
    value: `${ratio.toFixed(2)}×`,
    target,
    met,
    line: `${mode} ${what} ${measured} = ${ratio.toFixed(2)} × Postgres baseline ${Math.round(baseline.tps).toLocaleString('en-US')} tps (${target}): ${verdictOf(met)}`,
  };
}

function aimCheck(
  mode: Mode,
  figure: string,
  value: number | undefined,
  shown: (value: number) => string,
  aim: number,
  higherIsBetter: boolean,
  kind = 'aim',
): Check {
  const target = `${kind} ${higherIsBetter ? '≥' : '≤'} ${shown(aim)}`;
  if (value === undefined || !Number.isFinite(value))
    return {
      mode,
      figure,
      value: 'n/a',
      target,
      line: `${mode} ${figure}: not measured (${target})`,
    };
  const met = higherIsBetter ? value >= aim : value <= aim;
  return {
    mode,
    figure,
    value: shown(value),
    target,
    met,
    line: `${mode} ${figure} ${shown(value)} (${target}): ${verdictOf(met)}`,
  };
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;
const micros = (value: number) => `${Math.round(value).toLocaleString('en-US')} µs`;
const mb = (value: number) => `${Math.round(value).toLocaleString('en-US')} MB`;

export function checksOf(figures: ModeFigures, baseline: Baseline): Check[] {
  const { mode } = figures;
  const floors = BASELINE_FLOORS[mode];
  const memory = Object.entries(figures.idleRssMB).flatMap(([process, idle]) => {
    const limit = idleLimitMB(mode, process);
    return limit === undefined
      ? []
      : [aimCheck(mode, `idle RSS ${process}`, idle, mb, limit, false, 'limit')];
  });
  return [
    baselineCheck(mode, 'burn', figures.burnPerSecond, baseline, floors.burn),
    baselineCheck(mode, 'hot wallet', figures.hotPerSecond, baseline, floors.hot),
    aimCheck(mode, 'burn', figures.burnPerSecond, formatRate, GOALS.burnPerSecond, true),
    aimCheck(mode, 'hot wallet', figures.hotPerSecond, formatRate, GOALS.hotPerSecond, true),
    aimCheck(
      mode,
      'latency p99 (202 → debited)',
      figures.latencyP99Ms,
      ms,
      GOALS.latencyP99Ms,
      false,
    ),
    aimCheck(
      mode,
      'CPU per burned event (burn phase)',
      figures.cpuMicrosPerEvent,
      micros,
      GOALS.cpuMicrosPerEvent,
      false,
    ),
    ...memory,
  ];
}

/** The closing table: every check of every deployment, one row each. */
export function printFloorsAndAims(checks: readonly Check[]): void {
  const widths = [
    Math.max(6, ...checks.map((check) => check.figure.length)) + 2,
    13,
    Math.max(5, ...checks.map((check) => check.value.length)) + 2,
    Math.max(11, ...checks.map((check) => check.target.length)) + 2,
  ];
  const row = (cells: readonly string[]) =>
    `  ${cells.map((cell, index) => (index < widths.length ? cell.padEnd(widths[index] as number) : cell)).join('')}`.trimEnd();
  console.log(`\n=== floors and aims ===`);
  console.log(row(['figure', 'deployment', 'value', 'floor / aim', 'verdict']));
  for (const check of checks)
    console.log(row([check.figure, check.mode, check.value, check.target, verdictOf(check.met)]));
  const measured = checks.filter((check) => check.met !== undefined);
  console.log(
    `  ${measured.filter((check) => check.met).length} of ${measured.length} met${measured.length < checks.length ? `, ${checks.length - measured.length} n/a` : ''}`,
  );
}
