import { DISTRIBUTED_SERVICES, type ServiceName } from '../distributed/services';

export type FaultTarget = ServiceName | 'nats-server';

export type ScheduledAction =
  | { readonly kind: 'fault'; readonly target: FaultTarget }
  | { readonly kind: 'storm'; readonly round: number };

export interface ScheduledStep {
  /** Seconds after the load started. */
  readonly atSeconds: number;
  readonly action: ScheduledAction;
}

/** Every service in turn, in pipeline order, then the bus itself once. */
export const FAULT_TARGETS: readonly FaultTarget[] = [
  ...DISTRIBUTED_SERVICES.map(({ name }) => name),
  'nats-server',
];

/**
 * The run split in equal slots: warm-up, one slot per fault (the fault at its start, recovery
 * under load for the rest), and a tail of plain load after the last. The storm's three rounds
 * fall in warm-up, after the wallets restart (or the middle fault), and in the tail after the
 * last fault, so its repeats meet services and a bus that restarted since the first copy.
 */
export function planRun(
  loadSeconds: number,
  targets: readonly FaultTarget[] = FAULT_TARGETS,
): ScheduledStep[] {
  const slot = loadSeconds / (targets.length + 2);
  const steps: ScheduledStep[] = targets.map((target, index) => ({
    atSeconds: slot * (index + 1),
    action: { kind: 'fault', target },
  }));
  const middle = targets.includes('wallets')
    ? targets.indexOf('wallets')
    : (targets.length - 1) / 2;
  steps.push(
    { atSeconds: slot * 0.5, action: { kind: 'storm', round: 1 } },
    { atSeconds: slot * (middle + 1.6), action: { kind: 'storm', round: 2 } },
    { atSeconds: slot * (targets.length + 1.5), action: { kind: 'storm', round: 3 } },
  );
  return steps.sort((a, b) => a.atSeconds - b.atSeconds);
}

/** `FAULT_TARGETS`: a comma-separated subset, in the order given; `none` for load without faults. */
export function parseTargets(text: string | undefined): readonly FaultTarget[] {
  if (text === undefined || text === '') return FAULT_TARGETS;
  if (text === 'none') return [];
  return text.split(',').map((name) => {
    const target = FAULT_TARGETS.find((known) => known === name.trim());
    if (target === undefined)
      throw new Error(`FAULT_TARGETS: ${name} is none of ${FAULT_TARGETS.join(', ')} (or none)`);
    return target;
  });
}
