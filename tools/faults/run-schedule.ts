import type { DuplicateStorm } from './duplicate-storm';
import { STORM_OFFSETS_HOURS } from './duplicate-storm';
import { injectFault, type FaultRecord, type ProcessControls } from './fault-injector';
import type { ScheduledStep } from './fault-schedule';
import type { LoadGenerator } from './load-generator';
import type { RunLog } from './run-log';
import type { HarnessSettings } from './settings';

/** Load runs at least this long after a fault before the next (a slow restart pushes the plan back), and after the last. */
const MIN_RECOVERY_MS = 15_000;

const sleepUntil = (at: number) =>
  new Promise((wake) => setTimeout(wake, Math.max(0, at - Date.now())));

export interface ScheduleRun {
  readonly steps: readonly ScheduledStep[];
  readonly loadStartedAt: number;
  readonly settings: HarnessSettings;
  readonly load: LoadGenerator;
  readonly storm: DuplicateStorm;
  readonly controls: ProcessControls;
  readonly setPhase: (phase: string) => void;
  readonly log: RunLog;
}

/**
 * Walks the plan while the load runs: storm rounds go into the load's queue, faults are injected
 * one at a time. Returns once the load has run its planned time (and a little past the last
 * fault); the caller stops it.
 */
export async function runSchedule(run: ScheduleRun): Promise<FaultRecord[]> {
  const { loadStartedAt, settings, log } = run;
  const faults: FaultRecord[] = [];
  let recoveredAt = loadStartedAt;
  for (const step of run.steps) {
    const plannedAt = loadStartedAt + step.atSeconds * 1000;
    if (step.action.kind === 'storm') {
      await sleepUntil(plannedAt);
      if (settings.stormEvents === 0) continue;
      run.load.submit(run.storm.round(step.action.round));
      log.harness(
        `duplicate storm round ${step.action.round}: ${settings.stormEvents} ids sent (event time +${STORM_OFFSETS_HOURS[step.action.round - 1]} h)`,
      );
      continue;
    }
    await sleepUntil(Math.max(plannedAt, recoveredAt + MIN_RECOVERY_MS));
    const { target } = step.action;
    const signal = target === 'nats-server' ? settings.natsSignal : 'SIGKILL';
    log.harness(`${signal} ${target}`);
    const fault = await injectFault(
      target,
      signal,
      settings.downSeconds,
      run.controls,
      run.setPhase,
    );
    faults.push(fault);
    recoveredAt = Date.now();
    log.harness(
      fault.healthyAt === undefined
        ? `${target} did NOT come back: ${fault.error}`
        : `${target} back: listening ${((fault.upAt as number) - fault.restartedAt) / 1000} s after its start, healthy ${(fault.healthyAt - fault.killedAt) / 1000} s after the kill`,
    );
  }
  await sleepUntil(
    Math.max(loadStartedAt + settings.seconds * 1000, recoveredAt + MIN_RECOVERY_MS),
  );
  return faults;
}
