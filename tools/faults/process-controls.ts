import type { DistributedTopology } from '../distributed/topology';
import type { BurndownApi } from './burndown-api';
import type { ProcessControls } from './fault-injector';
import type { FaultTarget } from './fault-schedule';
import type { NatsServerProcess } from './nats-server';

/** A restarted service catching up a backlog can be slow to answer even its health check. */
const HEALTH_TIMEOUT_MS = 300_000;

/**
 * Faults reach the five services through the topology and the bus through the harness's own
 * nats-server; `beforeKill` waits for the moment to strike a target.
 */
export function processControls(
  topology: DistributedTopology,
  nats: NatsServerProcess,
  api: BurndownApi,
  beforeKill: (target: FaultTarget) => Promise<unknown>,
): ProcessControls {
  return {
    async moment(target) {
      await beforeKill(target);
    },
    kill: (target, signal) =>
      target === 'nats-server' ? nats.kill(signal) : topology.kill(target, signal),
    start: (target) => (target === 'nats-server' ? nats.start() : topology.restart(target)),
    async healthy(target) {
      // nats-server's start already waited for "Server is ready".
      if (target === 'nats-server') return;
      const deadline = Date.now() + HEALTH_TIMEOUT_MS;
      while (!(await api.healthy(target))) {
        if (Date.now() > deadline)
          throw new Error(
            `${target} listens but /health did not answer in ${HEALTH_TIMEOUT_MS} ms`,
          );
        await new Promise((wake) => setTimeout(wake, 100));
      }
    },
  };
}
