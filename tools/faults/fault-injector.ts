import type { FaultTarget } from './fault-schedule';

/** How the harness reaches the processes: the topology's services and its own nats-server. */
export interface ProcessControls {
  /** Waits for the moment to strike the target (say, while a request to it is in flight). */
  moment(target: FaultTarget): Promise<void>;
  kill(target: FaultTarget, signal: NodeJS.Signals): Promise<void>;
  /** Starts the target on its port and data again; resolves once it listens. */
  start(target: FaultTarget): Promise<void>;
  /** Resolves once the target answers its health check (or at once when it has none). */
  healthy(target: FaultTarget): Promise<void>;
}

export interface FaultRecord {
  readonly target: FaultTarget;
  readonly signal: NodeJS.Signals;
  readonly killedAt: number;
  /** The process was gone (its exit observed). */
  readonly goneAt: number;
  readonly restartedAt: number;
  /** Listening again (a service's "listening on", nats-server's "Server is ready"). */
  readonly upAt: number | undefined;
  readonly healthyAt: number | undefined;
  readonly startAttempts: number;
  readonly error?: string;
}

const START_ATTEMPTS = 3;
const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/**
 * One fault: kill the target with the signal, leave it down for `downSeconds` while load keeps
 * coming, start it again on the same port and data, and time each step. A start that fails is
 * tried again (the report says how often); if it never comes back the fault records why.
 */
export async function injectFault(
  target: FaultTarget,
  signal: NodeJS.Signals,
  downSeconds: number,
  controls: ProcessControls,
  setPhase: (phase: string) => void,
): Promise<FaultRecord> {
  await controls.moment(target);
  setPhase(`${target} down`);
  const killedAt = Date.now();
  await controls.kill(target, signal);
  const goneAt = Date.now();
  await sleep(downSeconds * 1000);
  setPhase(`${target} restarting`);
  const restartedAt = Date.now();
  const timing = { target, signal, killedAt, goneAt, restartedAt };
  let lastError: string | undefined;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      await controls.start(target);
    } catch (error) {
      lastError = (error as Error).message.slice(0, 2_000);
      await sleep(2_000);
      continue;
    }
    const upAt = Date.now();
    // A process that listens but is slow to answer is waited for, never restarted over.
    try {
      await controls.healthy(target);
    } catch (error) {
      setPhase(`after ${target} restart (unhealthy)`);
      return {
        ...timing,
        upAt,
        healthyAt: undefined,
        startAttempts: attempt,
        error: (error as Error).message,
      };
    }
    setPhase(`after ${target} restart`);
    return { ...timing, upAt, healthyAt: Date.now(), startAttempts: attempt };
  }
  setPhase(`after ${target} restart (failed)`);
  return {
    ...timing,
    upAt: undefined,
    healthyAt: undefined,
    startAttempts: START_ATTEMPTS,
    ...(lastError === undefined ? {} : { error: lastError }),
  };
}
