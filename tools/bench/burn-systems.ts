import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { DATABASE_FILES } from '@burndown/embedded';
import { NatsBus } from '@burndown/nats';
import { MESSAGE_BUS, type JsonValue, type MessageBus, type Subscription } from '@burndown/ports';
import { loadConfig, startBurndown } from '@burndown/runtime';
import { DatabaseSync } from 'node:sqlite';
import { EMBEDDED_MAIN_THREAD, EMBEDDED_SERVICE_THREAD } from '../../apps/burndown/src/services';
import { DistributedTopology } from '../distributed/topology';
import { DISTRIBUTED_SERVICES } from '../distributed/services';
import { pidListeningOn, pidOf, type CpuTarget } from './burn-cpu';
import {
  profileOnExitOptions,
  profilesIn,
  summarizeProfile,
  type ProfileSummary,
} from './burn-profile';
import { COUNTER, wallClockMs } from './burn-protocol';

// The two systems the burn benchmark drives: the five services as processes over NATS, and all
// five in one process on the embedded bus (hosted in the benchmark's own process as `npm start`
// hosts them: the main thread and a service thread; the load generator and the sampler running in
// threads of their own). Each reports every applied usage
// debit as its `wallet.debited` message (the debit, with the balance after it) arrives, and keeps the shared counters of what the
// pipeline's stages have stored (usage events, rated debits) up to date.

export type Mode = 'distributed' | 'embedded';
export const MODES: readonly Mode[] = ['distributed', 'embedded'];

export type DebitHandler = (walletId: string, usageEventId: string, arrivedAt: number) => void;

/** What the bus's durable consumers had not yet acknowledged, by `stream/consumer` (NATS only). */
export interface ConsumerPending {
  readonly at: number;
  readonly pending: Readonly<Record<string, number>>;
}

export interface DeploymentProcess {
  readonly name: string;
  readonly pid: number;
  /** `GET` answers `{ store: { appends, appendedEvents } }` (the process's event-store activity). */
  readonly healthUrl?: string;
  /** Said next to its memory figures. */
  readonly note?: string;
}

export interface SystemUnderTest {
  readonly mode: Mode;
  readonly description: string;
  readonly ingestionUrl: string;
  readonly walletsUrl: string;
  readonly apiKey: string;
  /** Processes (and threads) whose CPU the benchmark reads; the generator thread is always one. */
  readonly cpuTargets: readonly CpuTarget[];
  /**
   * The deployment's own processes (not the bench's threads): CPU per burned event sums them,
   * memory is read per process, and each with a health URL reports its event-store appends.
   */
  readonly processes: readonly DeploymentProcess[];
  /** The process that runs each stage, for the bound analysis. */
  readonly owner: { readonly ingestion: string; readonly rating: string; readonly wallets: string };
  /** The services share this process's main thread: profile it per phase to split them. */
  readonly profileThisThread: boolean;
  onDebit(handler: DebitHandler): void;
  /** Snapshots of the durable consumers' backlogs, about one a second (NATS only). */
  consumerPending(): readonly ConsumerPending[];
  /** Stops everything; a distributed run answers each service's whole-run profile (when asked to profile). */
  stop(): Promise<Readonly<Record<string, ProfileSummary>>>;
}

/** The bench process's threads: the load generator and the sampler apart from everything else. */
const benchThreads: readonly CpuTarget[] = [
  { name: 'generator', pid: process.pid, threads: ['generator'] },
  { name: 'sampler', pid: process.pid, threads: ['sampler'] },
];
const notBench = ['main', 'services', 'gc', 'libuv', 'other'] as const;

/** Where the wallets relay publishes each applied debit (docs/asyncapi.yaml, walletDebited). */
const DEBITED = 'wallet.debited.';

interface WalletDebited {
  readonly walletId?: unknown;
  readonly type?: unknown;
  readonly data?: { readonly usageEventId?: unknown };
}

function debitOf(payload: unknown): { walletId: string; usageEventId: string } | undefined {
  const event = payload as WalletDebited | null;
  if (
    event?.type !== 'UsageDebited' ||
    typeof event.data?.usageEventId !== 'string' ||
    typeof event.walletId !== 'string'
  )
    return undefined;
  return { walletId: event.walletId, usageEventId: event.data.usageEventId };
}

/** Prints what a service says, but only its first lines: a failing service under load says a lot. */
function serviceLog(): (source: string, line: string) => void {
  const printed = new Map<string, number>();
  return (source, line) => {
    const count = (printed.get(source) ?? 0) + 1;
    printed.set(source, count);
    if (count <= 20) console.error(`[${source}] ${line}`);
    else if (count === 21) console.error(`[${source}] (further lines not shown)`);
  };
}

/**
 * The five compiled services as processes over a private namespace of the NATS server. Applied
 * debits are seen through a core NATS subscription on the namespace's wallet.debited subjects:
 * JetStream hands a stored message to core subscribers too, so it sees every publish the moment
 * the server stores it, without a consumer to acknowledge.
 */
export async function startDistributed(
  natsUrl: string,
  profile: boolean,
  counters: Int32Array,
): Promise<SystemUnderTest> {
  const namespace = `bench_${randomBytes(4).toString('hex')}`;
  const baseDir = mkdtempSync(join(tmpdir(), 'burndown-burn-'));
  const profileDir = join(baseDir, 'profiles');
  const log = serviceLog();
  let topology: DistributedTopology | undefined;
  let connection: NatsConnection | undefined;
  const pids = new Map<number, string>();
  let poller: NodeJS.Timeout | undefined;
  const cleanUp = async () => {
    clearInterval(poller);
    await topology?.stop();
    await connection?.close().catch(() => undefined);
    await NatsBus.removeNamespace(natsUrl, namespace).catch((error: unknown) =>
      console.error(`could not remove NATS namespace ${namespace}:`, error),
    );
    const profiles: Record<string, ProfileSummary> = {};
    for (const [pid, profile] of profilesIn(profileDir)) {
      const service = pids.get(pid);
      if (service !== undefined) profiles[service] = summarizeProfile(profile);
    }
    // BENCH_KEEP_DATA=1 leaves each service's database to look into, as in the embedded run.
    if (process.env['BENCH_KEEP_DATA'] === '1') console.log(`distributed data kept in ${baseDir}`);
    else rmSync(baseDir, { recursive: true, force: true });
    return profiles;
  };
  try {
    topology = await DistributedTopology.start({
      baseDir,
      natsUrl,
      env: {
        BURNDOWN_NATS_NAMESPACE: namespace,
        BURNDOWN_LOG_LEVEL: 'warn',
        // Each service writes its main thread's profile when it stops.
        ...(profile ? { NODE_OPTIONS: profileOnExitOptions(profileDir) } : {}),
      },
      log: (service, line) => log(service, line),
    });
    for (const { name } of DISTRIBUTED_SERVICES) {
      const pid = topology.pid(name);
      if (pid !== undefined) pids.set(pid, name);
    }
    const nats = await connect({ servers: natsUrl, name: 'burn-bench observer' });
    connection = nats;
    const manager = await nats.jetstreamManager();
    const handlers: DebitHandler[] = [];
    const decoder = new TextDecoder();
    let observerErrors = 0;
    nats.subscribe(`${namespace}.${DEBITED}>`, {
      callback: (error, message) => {
        const arrivedAt = wallClockMs();
        if (error !== null) {
          if (observerErrors++ === 0) console.error('wallet.debited subscription:', error.message);
          return;
        }
        const debit = debitOf(JSON.parse(decoder.decode(message.data)));
        if (debit !== undefined)
          for (const handler of handlers) handler(debit.walletId, debit.usageEventId, arrivedAt);
      },
    });
    await nats.flush();
    (async () => {
      for await (const status of nats.status()) {
        if (status.type === 'disconnect' || status.type === 'error')
          console.error(
            `observer connection: ${status.type} ${String(status.data)} (wallet.debited messages may be missed)`,
          );
      }
    })().catch(() => undefined);

    const running = topology;
    const local = /^nats:\/\/(127\.0\.0\.1|localhost)(?::(\d+))?$/.exec(natsUrl);
    const natsServer =
      local === null
        ? undefined
        : (pidListeningOn(Number(local[2] ?? 4222)) ?? pidOf('nats-server'));
    // Once a second: what USAGE and DEBITS hold (stored by ingestion and by rating) and what each
    // durable consumer has not acknowledged; each stream starts empty in the private namespace.
    const prefix = `${namespace}_`;
    const pending: ConsumerPending[] = [];
    let polling = false;
    const poll = async () => {
      const streams: string[] = [];
      for await (const name of manager.streams.names())
        if (name.startsWith(prefix)) streams.push(name);
      let usage = 0;
      let debits = 0;
      const consumers: Record<string, number> = {};
      for (const name of streams) {
        const stream = name.slice(prefix.length);
        const info = await manager.streams.info(name).catch(() => undefined);
        if (info === undefined) continue;
        if (stream === 'USAGE') usage += info.state.messages;
        if (stream.startsWith('DEBITS')) debits += info.state.messages;
        for await (const consumer of manager.consumers.list(name))
          consumers[`${stream}/${consumer.name}`] = consumer.num_pending + consumer.num_ack_pending;
      }
      Atomics.store(counters, COUNTER.usage, usage);
      Atomics.store(counters, COUNTER.debits, debits);
      pending.push({ at: wallClockMs(), pending: consumers });
    };
    poller = setInterval(() => {
      if (polling) return;
      polling = true;
      poll()
        .catch((error: unknown) => console.error('reading JetStream stream state:', error))
        .finally(() => (polling = false));
    }, 1_000);
    return {
      mode: 'distributed',
      description: `the five services as processes over NATS (${natsUrl}, namespace ${namespace}); applied debits seen by a core NATS subscription on ${namespace}.${DEBITED}>`,
      ingestionUrl: running.url('ingestion'),
      walletsUrl: running.url('wallets'),
      apiKey: running.apiKey,
      cpuTargets: [
        ...DISTRIBUTED_SERVICES.flatMap(({ name }) => {
          const pid = running.pid(name);
          return pid === undefined ? [] : [{ name, pid, io: true }];
        }),
        ...(natsServer === undefined ? [] : [{ name: 'nats-server', pid: natsServer, io: true }]),
        { name: 'observer', pid: process.pid, threads: notBench },
        ...benchThreads,
      ],
      processes: [
        ...DISTRIBUTED_SERVICES.flatMap(({ name }) => {
          const pid = running.pid(name);
          return pid === undefined ? [] : [{ name, pid, healthUrl: `${running.url(name)}/health` }];
        }),
        ...(natsServer === undefined
          ? []
          : [
              {
                name: 'nats-server',
                pid: natsServer,
                note: 'shared, started outside the bench: peak over its whole life',
              },
            ]),
      ],
      owner: { ingestion: 'ingestion', rating: 'rating', wallets: 'wallets' },
      profileThisThread: false,
      onDebit: (handler) => handlers.push(handler),
      consumerPending: () => pending,
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

export type EmbeddedStore = 'disk' | 'memory';
export type EmbeddedObserver = 'tap' | 'consumer';

/**
 * All five services in this process on the embedded bus, as `npm start` runs them. Applied
 * debits are seen either at the bus itself (`tap`: the relay's publish of wallet.debited has
 * just committed, the moment the bus wakes its consumers; costs nothing) or through a durable
 * consumer of our own on WALLET_EVENTS (`consumer`: what a subscriber sees, but each delivery is
 * a claim and an ack on the one embedded database the services themselves wait on).
 */
export async function startEmbedded(
  store: EmbeddedStore,
  observer: EmbeddedObserver,
  counters: Int32Array,
): Promise<SystemUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'burndown-burn-'));
  try {
    const config = loadConfig({
      BURNDOWN_PORT: '0',
      BURNDOWN_LOG_LEVEL: 'warn',
      BURNDOWN_DATA_DIR: dataDir,
      // One thread or two, as the operator sets it for npm start.
      ...(process.env['BURNDOWN_SERVICE_THREADS'] === undefined
        ? {}
        : { BURNDOWN_SERVICE_THREADS: process.env['BURNDOWN_SERVICE_THREADS'] }),
    });
    const burndown = await startBurndown(config, {
      serviceName: 'burn-bench',
      modules: EMBEDDED_MAIN_THREAD,
      serviceThread: EMBEDDED_SERVICE_THREAD,
      persistent: store === 'disk',
    });
    const threaded = store === 'disk' && config.serviceThreads > 1;
    // Rating publishes debits on the service thread, out of this wrapper's sight: on disk, what
    // USAGE and DEBITS hold is read from the database (a reader of its own) four times a second.
    let storedPoller: NodeJS.Timeout | undefined;
    let storedReader: DatabaseSync | undefined;
    if (threaded) {
      const reader = new DatabaseSync(join(dataDir, DATABASE_FILES.bus), { readOnly: true });
      storedReader = reader;
      const lastSequences = reader.prepare(
        "SELECT name, last_sequence AS sequence FROM bus_streams WHERE name IN ('USAGE', 'DEBITS')",
      );
      storedPoller = setInterval(() => {
        for (const row of lastSequences.all() as { name: string; sequence: number }[])
          Atomics.store(
            counters,
            row.name === 'USAGE' ? COUNTER.usage : COUNTER.debits,
            Number(row.sequence),
          );
      }, 250);
    }
    const bus = burndown.app.get<MessageBus>(MESSAGE_BUS);
    const handlers: DebitHandler[] = [];
    const seen = (payload: JsonValue) => {
      const arrivedAt = wallClockMs();
      const debit = debitOf(payload);
      if (debit !== undefined)
        for (const handler of handlers) handler(debit.walletId, debit.usageEventId, arrivedAt);
    };
    // Counting at the bus: every publish that stored a message (not a repeat), by subject.
    const publish = bus.publish.bind(bus);
    bus.publish = async (subject, payload, options) => {
      const ack = await publish(subject, payload, options);
      if (!ack.duplicate) {
        if (threaded) {
          if (observer === 'tap' && subject.startsWith(DEBITED)) seen(payload);
        } else if (subject.startsWith('usage.')) Atomics.add(counters, COUNTER.usage, 1);
        else if (subject.startsWith('debits.')) Atomics.add(counters, COUNTER.debits, 1);
        else if (observer === 'tap' && subject.startsWith(DEBITED)) seen(payload);
      }
      return ack;
    };
    let subscription: Subscription | undefined;
    if (observer === 'consumer') {
      subscription = await bus.consume(
        {
          stream: 'WALLET_EVENTS',
          durableName: 'burn-bench',
          filterSubject: `${DEBITED}>`,
          ackWaitMs: 30_000,
          maxDeliver: 10,
          backoffMs: [100],
          maxInFlight: 1_000,
        },
        async (message) => seen(message.payload),
      );
    }
    const how =
      observer === 'tap'
        ? "at the bus: a wrapper around the app's MessageBus.publish sees each wallet.debited as its publish commits"
        : 'by a durable consumer of our own on WALLET_EVENTS (wallet.debited.>)';
    return {
      mode: 'embedded',
      description: `all five services in the benchmark's process on the embedded bus and store (${store === 'disk' ? `node:sqlite on disk in ${dataDir}` : 'node:sqlite in memory'}), ${threaded ? "as npm start runs them: ingestion, wallets and every API on the main thread, rating's pipeline and the entitlements view on a service thread" : 'all on the main thread'}; the load generator in a thread of its own; applied debits seen ${how}`,
      ingestionUrl: burndown.url,
      walletsUrl: burndown.url,
      apiKey: burndown.developmentKey,
      cpuTargets: [
        { name: 'burndown', pid: process.pid, threads: notBench, io: true },
        ...benchThreads,
      ],
      processes: [
        {
          name: 'burndown',
          pid: process.pid,
          healthUrl: `${burndown.url}/health`,
          note: "the bench's own process: the five services, the load generator and sampler threads",
        },
      ],
      owner: { ingestion: 'burndown', rating: 'burndown', wallets: 'burndown' },
      profileThisThread: true,
      onDebit: (handler) => handlers.push(handler),
      consumerPending: () => [],
      async stop() {
        clearInterval(storedPoller);
        storedReader?.close();
        await subscription?.stop();
        await burndown.close();
        // BENCH_KEEP_DATA=1 leaves the database to look into (row counts, page use per table).
        if (process.env['BENCH_KEEP_DATA'] === '1') console.log(`embedded data kept in ${dataDir}`);
        else rmSync(dataDir, { recursive: true, force: true });
        return {};
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
