import { resolve } from 'node:path';
import { parseTargets, type FaultTarget } from './fault-schedule';

/** Everything a run can be tuned with, from the environment, with defaults for a ~4 minute run. */
export interface HarnessSettings {
  /** Usage events per second the load generator offers, through every fault. */
  readonly rate: number;
  /** Seconds of load, from the end of warm-up's start to the stop of new events. */
  readonly seconds: number;
  readonly batchSize: number;
  /** HTTP requests in flight at once: enough to catch up a backlog after an outage. */
  readonly concurrency: number;
  readonly customers: number;
  /** Event ids sent three times each, hours apart in event time. */
  readonly stormEvents: number;
  /** How long each killed process stays down before it is started again. */
  readonly downSeconds: number;
  /**
   * Ledgers must stand still this long before the audit. Longer than the consumers' ack wait
   * (30 s): a message a killed process had taken comes back only after it.
   */
  readonly quietSeconds: number;
  /** Waiting for quiescence gives up after this long, and the audit reports what is missing. */
  readonly settleDeadlineSeconds: number;
  /** Unchanging ledgers that are still missing events count as stalled after this long. */
  readonly stallSeconds: number;
  /** 0: a free port. Never 4222: that nats-server is shared with the test suites. */
  readonly natsPort: number;
  readonly natsBinary: string;
  readonly natsSignal: NodeJS.Signals;
  readonly runDir: string;
  /** What is killed and restarted, in order (FAULT_TARGETS, default every service then nats-server). */
  readonly targets: readonly FaultTarget[];
  /** Each customer's one grant, micro-credits. Small enough and debits are refused: a way to see the audit fail. */
  readonly grantMicros: bigint;
  /** Keep the services' data and the NATS store after a passing run (a failing run always keeps them). */
  readonly keepData: boolean;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): HarnessSettings {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const natsSignal = (env['FAULT_NATS_SIGNAL'] || 'SIGKILL') as NodeJS.Signals;
  if (natsSignal !== 'SIGKILL' && natsSignal !== 'SIGTERM')
    throw new Error(`FAULT_NATS_SIGNAL must be SIGKILL or SIGTERM, got ${natsSignal}`);
  const natsPort = whole(env, 'FAULT_NATS_PORT', 0, 0, 65_535);
  if (natsPort === 4222)
    throw new Error(
      'FAULT_NATS_PORT=4222 is the shared nats-server of the test suites; the harness restarts its own',
    );
  return {
    rate: whole(env, 'FAULT_RATE', 400, 1, 100_000),
    seconds: whole(env, 'FAULT_SECONDS', 210, 30, 86_400),
    batchSize: whole(env, 'FAULT_BATCH', 200, 1, 1_000),
    concurrency: whole(env, 'FAULT_CONCURRENCY', 4, 1, 64),
    customers: whole(env, 'FAULT_CUSTOMERS', 20, 1, 10_000),
    stormEvents: whole(env, 'FAULT_STORM_EVENTS', 300, 0, 100_000),
    downSeconds: whole(env, 'FAULT_DOWN_SECONDS', 5, 0, 600),
    quietSeconds: whole(env, 'FAULT_QUIET_SECONDS', 40, 1, 3_600),
    settleDeadlineSeconds: whole(env, 'FAULT_SETTLE_DEADLINE_SECONDS', 900, 10, 86_400),
    stallSeconds: whole(env, 'FAULT_STALL_SECONDS', 150, 10, 86_400),
    natsPort,
    natsBinary: env['FAULT_NATS_SERVER'] || '/usr/sbin/nats-server',
    natsSignal,
    runDir: resolve(env['FAULT_RUN_DIR'] || `.burndown/faults/${stamp}`),
    keepData: env['FAULT_KEEP_DATA'] === '1',
    targets: parseTargets(env['FAULT_TARGETS']),
    grantMicros: micros(env['FAULT_GRANT_MICROS']),
  };
}

function whole(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${text}`);
  return value;
}

/** Enough by default that no debit of a run is refused for want of credit. */
function micros(text: string | undefined): bigint {
  if (text === undefined || text === '') return 10n ** 16n;
  if (!/^[1-9]\d{0,29}$/.test(text))
    throw new Error(
      `FAULT_GRANT_MICROS must be a positive whole number of micro-credits, got ${text}`,
    );
  return BigInt(text);
}
