import { execFile } from 'node:child_process';

// The yardstick the burn figures are held against: what plain PostgreSQL does on this machine,
// `pgbench -b tpcb-like` (a transaction = three updates, a select and an insert) with 8 clients
// for as long as a burn phase, on a database of its own on the local server. Run while nothing
// else of the benchmark runs. Missing pgbench or server: no figure, and the reason why.

export interface BaselineSetup {
  readonly seconds: number;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly clients: number;
  readonly threads: number;
  readonly scale: number;
}

export type Baseline =
  | {
      readonly ran: true;
      readonly command: string;
      /** Transactions per second, without the initial connection time. */
      readonly tps: number;
      readonly latencyMs?: number;
      readonly transactions?: number;
      readonly failed?: number;
      readonly initSeconds: number;
      /** Whether the server wrote pgbench's dirty pages before the deployments ran, or why not. */
      readonly checkpoint: string;
    }
  | { readonly ran: false; readonly reason: string };

export const BASELINE_DEFAULTS = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  database: 'burndown_bench',
  clients: 8,
  threads: 2,
  scale: 8,
} as const;

interface Outcome {
  readonly ok: boolean;
  /** The program is not on PATH. */
  readonly missing: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

function run(program: string, args: readonly string[], timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    // A server that does not answer fails the connection in seconds, not minutes.
    const env = { ...process.env, PGCONNECT_TIMEOUT: process.env['PGCONNECT_TIMEOUT'] || '5' };
    execFile(
      program,
      args,
      { env, timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        const timedOut = error !== null && (error as { killed?: boolean }).killed === true;
        resolve({
          ok: error === null,
          missing: code === 'ENOENT',
          stdout,
          stderr: timedOut ? `timed out after ${timeoutMs / 1_000} s; ${stderr}` : stderr,
        });
      },
    );
  });
}

/** The last line that says something: what a failing client printed last. */
const why = (outcome: Outcome) =>
  (outcome.stderr + outcome.stdout)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-2)
    .join(' / ') || 'no output';

/** The figures of a pgbench run's report; undefined without a tps line. */
export function parsePgbench(
  stdout: string,
): { tps: number; latencyMs?: number; transactions?: number; failed?: number } | undefined {
  const number = (pattern: RegExp) => {
    const match = pattern.exec(stdout)?.[1];
    return match === undefined ? undefined : Number(match);
  };
  const tps =
    number(/^tps = ([\d.]+) \(without initial connection time\)$/m) ??
    number(/^tps = ([\d.]+) \(excluding connections establishing\)$/m);
  if (tps === undefined || !Number.isFinite(tps)) return undefined;
  const latencyMs = number(/^latency average = ([\d.]+) ms$/m);
  const transactions = number(/^number of transactions actually processed: (\d+)/m);
  const failed = number(/^number of failed transactions: (\d+)/m);
  return {
    tps,
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(transactions === undefined ? {} : { transactions }),
    ...(failed === undefined ? {} : { failed }),
  };
}

/** Creates the database unless it is there; a reason when the server cannot be reached or refuses. */
async function ensureDatabase(
  connection: readonly string[],
  database: string,
): Promise<string | undefined> {
  const exists = (outcome: Outcome) => /already exists/.test(outcome.stderr);
  const created = await run('createdb', [...connection, database], 30_000);
  if (created.ok || exists(created)) return undefined;
  if (!created.missing) return `createdb ${database}: ${why(created)}`;
  const viaPsql = await run(
    'psql',
    [...connection, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${database}`],
    30_000,
  );
  if (viaPsql.ok || exists(viaPsql)) return undefined;
  // Neither client is installed: pgbench -i says whether the database is there.
  return viaPsql.missing ? undefined : `CREATE DATABASE ${database}: ${why(viaPsql)}`;
}

export async function runPostgresBaseline(setup: BaselineSetup): Promise<Baseline> {
  const version = await run('pgbench', ['--version'], 10_000);
  if (version.missing) return { ran: false, reason: 'pgbench is not installed (not on PATH)' };
  const connection = ['-h', setup.host, '-p', String(setup.port), '-U', setup.user];
  const where = `${setup.user}@${setup.host}:${setup.port}`;
  const refused = await ensureDatabase(connection, setup.database);
  if (refused !== undefined) return { ran: false, reason: `PostgreSQL at ${where}: ${refused}` };
  const initStart = Date.now();
  const init = await run(
    'pgbench',
    ['-i', '-s', String(setup.scale), '-q', ...connection, setup.database],
    600_000,
  );
  if (!init.ok) return { ran: false, reason: `pgbench -i at ${where}: ${why(init)}` };
  const initSeconds = (Date.now() - initStart) / 1_000;
  const args = [
    '-b',
    'tpcb-like',
    '-c',
    String(setup.clients),
    '-j',
    String(setup.threads),
    '-T',
    String(setup.seconds),
  ];
  const command = `pgbench ${args.join(' ')} on ${setup.database} (scale ${setup.scale}) at ${where}`;
  const bench = await run(
    'pgbench',
    [...args, ...connection, setup.database],
    (setup.seconds + 120) * 1_000,
  );
  if (!bench.ok) return { ran: false, reason: `${command}: ${why(bench)}` };
  const figures = parsePgbench(bench.stdout);
  if (figures === undefined)
    return { ran: false, reason: `${command}: no tps line in its output (${why(bench)})` };
  // pgbench leaves dirty buffers that the server's checkpointer would otherwise spread over the
  // next minutes, while the first deployment runs (checkpoint_completion_target): written now.
  const flushed = await run(
    'psql',
    [...connection, '-d', setup.database, '-c', 'CHECKPOINT'],
    300_000,
  );
  const checkpoint = flushed.ok
    ? 'CHECKPOINT done'
    : `no CHECKPOINT (${flushed.missing ? 'psql is not installed' : why(flushed)})`;
  return { ran: true, command, initSeconds, checkpoint, ...figures };
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');

export function describeBaseline(baseline: Baseline): string {
  if (!baseline.ran)
    return `Postgres baseline: none — ${baseline.reason}; ratios to it print as n/a`;
  const extra = [
    baseline.latencyMs === undefined
      ? undefined
      : `latency average ${baseline.latencyMs.toFixed(1)} ms`,
    baseline.transactions === undefined
      ? undefined
      : `${count(baseline.transactions)} transactions`,
    baseline.failed === undefined ? undefined : `${baseline.failed} failed`,
    baseline.checkpoint,
  ].filter((part) => part !== undefined);
  return `Postgres baseline: ${count(baseline.tps)} tps (without initial connection time) — ${baseline.command}, initialised in ${baseline.initSeconds.toFixed(1)} s${extra.length > 0 ? `; ${extra.join(', ')}` : ''}`;
}
