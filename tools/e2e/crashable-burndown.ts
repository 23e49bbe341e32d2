import { busUnderTest, startBurndownProcess, type BurndownProcess } from '@burndown/testing';
import { DistributedTopology } from '../distributed/topology';
import { DISTRIBUTED_SERVICES } from '../distributed/services';
import { e2eTopology } from './burndown-under-test';

/** Burndown as real processes of the compiled apps, on a data directory that outlives them. */
export interface CrashableBurndown {
  /** NATS hands a message a killed consumer had taken to another only after its ack wait. */
  readonly onNats: boolean;
  /** Starts every process (again, after `killAll`), on the same data; the URL may change. */
  start(): Promise<{ readonly url: string; readonly apiKey: string }>;
  /** kill -9 to every process, waiting until each is gone. */
  killAll(): Promise<void>;
  close(): Promise<void>;
}

export function crashableBurndown(dataDir: string): CrashableBurndown {
  const testBus = busUnderTest();
  return e2eTopology() === 'embedded'
    ? embeddedProcess(dataDir, testBus)
    : distributedProcesses(dataDir, testBus);
}

type TestBus = ReturnType<typeof busUnderTest>;

function embeddedProcess(dataDir: string, testBus: TestBus): CrashableBurndown {
  let running: BurndownProcess | undefined;
  return {
    onNats: testBus.onNats,
    async start() {
      running = await startBurndownProcess(dataDir, { env: testBus.env });
      return running;
    },
    killAll: async () => running?.kill('SIGKILL'),
    async close() {
      await running?.kill('SIGKILL');
      await testBus.cleanup();
    },
  };
}

/** The five services under DistributedTopology; its gateway stays up and finds them again on their ports. */
function distributedProcesses(dataDir: string, testBus: TestBus): CrashableBurndown {
  let topology: DistributedTopology | undefined;
  const names = DISTRIBUTED_SERVICES.map(({ name }) => name);
  const address = (running: DistributedTopology) => ({
    url: running.gatewayUrl,
    apiKey: running.apiKey,
  });
  return {
    onNats: true,
    async start() {
      if (topology === undefined) {
        topology = await DistributedTopology.start({
          baseDir: dataDir,
          natsUrl: testBus.env['BURNDOWN_NATS_URL'] as string,
          basePort: 0,
          gatewayPort: 0,
          env: { ...testBus.env, BURNDOWN_LOG_LEVEL: 'warn' },
        });
        return address(topology);
      }
      const running = topology;
      await Promise.all(names.map((name) => running.restart(name)));
      return address(running);
    },
    killAll: async () => {
      const running = topology;
      if (running !== undefined)
        await Promise.all(names.map((name) => running.kill(name, 'SIGKILL')));
    },
    async close() {
      await this.killAll();
      await topology?.stop();
      await testBus.cleanup();
    },
  };
}
