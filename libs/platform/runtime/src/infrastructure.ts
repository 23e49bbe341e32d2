import {
  EmbeddedBus,
  EmbeddedDatabase,
  SqliteEventStore,
  SqliteReadStore,
  type SharedDatabase,
} from '@burndown/embedded';
import type { EventStore, MessageBus, ReadStore } from '@burndown/ports';
import { ensureBusTopology } from './bus-topology';
import { countingEventStore } from './counting-event-store';
import { ConfigError, type BurndownConfig } from './config';

/** The adapters one process runs on, opened before Nest starts and closed after it stops. */
export interface Infrastructure {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly bus: MessageBus;
  /**
   * For a service thread: the embedded database opened here, to join from that thread; undefined
   * when no adapter is embedded. Throws for a database in memory (it cannot be shared).
   */
  shareDatabase(): SharedDatabase | undefined;
  /** An embedded database in memory: a service thread cannot share it. */
  readonly inMemory: boolean;
  close(): Promise<void>;
}

export async function openInfrastructure(
  config: Pick<
    BurndownConfig,
    | 'eventStore'
    | 'readStore'
    | 'bus'
    | 'embeddedSync'
    | 'dedupeHorizonMs'
    | 'esdbUrl'
    | 'mongoUrl'
    | 'natsUrl'
    | 'natsNamespace'
  > & {
    /** Omitted: everything in memory (tests). */
    readonly dataDir?: string;
  },
  /** In a service thread: the main thread's embedded database, joined instead of opened. */
  joining?: SharedDatabase,
): Promise<Infrastructure> {
  const opened: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close().catch(() => undefined);
  };
  try {
    // The embedded database only when an embedded adapter needs it, and only after every server
    // answered: an unreachable server fails the start at once, not after the store has opened.
    let database: Promise<EmbeddedDatabase> | undefined;
    let openedDatabase: EmbeddedDatabase | undefined;
    const openDatabase = () => {
      database ??= (
        joining === undefined
          ? EmbeddedDatabase.open({
              sync: config.embeddedSync,
              ...(config.dataDir === undefined ? {} : { dataDir: config.dataDir }),
            })
          : Promise.resolve(EmbeddedDatabase.join(joining))
      ).then((db) => {
        opened.push(() => db.close());
        openedDatabase = db;
        return db;
      });
      return database;
    };
    const adapters: { eventStore?: EventStore; readStore?: ReadStore; bus?: MessageBus } = {};
    const openers = [
      {
        server: config.eventStore !== 'embedded',
        open: async () => (adapters.eventStore = await openEventStore(config, openDatabase)),
      },
      {
        server: config.readStore !== 'embedded',
        open: async () => (adapters.readStore = await openReadStore(config, openDatabase)),
      },
      {
        server: config.bus !== 'embedded',
        open: async () => (adapters.bus = await openBus(config, openDatabase)),
      },
    ];
    for (const { open } of [
      ...openers.filter((opener) => opener.server),
      ...openers.filter((opener) => !opener.server),
    ]) {
      const adapter = await open();
      opened.push(() => adapter.close());
    }
    const { eventStore, readStore, bus } = adapters as Required<typeof adapters>;
    await ensureBusTopology(bus, config.dedupeHorizonMs);
    // Counted for /health: appends per event is how well group commit groups.
    return {
      eventStore: countingEventStore(eventStore),
      readStore,
      bus,
      shareDatabase: () => openedDatabase?.share(),
      inMemory: openedDatabase !== undefined && config.dataDir === undefined,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

type OpenDatabase = () => Promise<EmbeddedDatabase>;

async function openEventStore(
  config: Pick<BurndownConfig, 'eventStore' | 'esdbUrl'>,
  openDatabase: OpenDatabase,
): Promise<EventStore> {
  switch (config.eventStore) {
    case 'embedded':
      return SqliteEventStore.create(await openDatabase());
    case 'esdb':
      return named('BURNDOWN_EVENT_STORE=esdb', 'BURNDOWN_ESDB_URL', () =>
        loadEsdb().EsdbEventStore.connect(config.esdbUrl),
      );
  }
}

async function openReadStore(
  config: Pick<BurndownConfig, 'readStore' | 'mongoUrl'>,
  openDatabase: OpenDatabase,
): Promise<ReadStore> {
  switch (config.readStore) {
    case 'embedded':
      return SqliteReadStore.create(await openDatabase());
    case 'mongo':
      return named('BURNDOWN_READ_STORE=mongo', 'BURNDOWN_MONGO_URL', () =>
        loadMongo().MongoReadStore.connect(config.mongoUrl),
      );
  }
}

async function openBus(
  config: Pick<BurndownConfig, 'bus' | 'natsUrl' | 'natsNamespace'>,
  openDatabase: OpenDatabase,
): Promise<MessageBus> {
  switch (config.bus) {
    case 'embedded':
      return EmbeddedBus.create(await openDatabase());
    case 'nats':
      return named('BURNDOWN_BUS=nats', 'BURNDOWN_NATS_URL', () =>
        loadNats().NatsBus.connect({
          url: config.natsUrl,
          namespace: config.natsNamespace,
          name: 'burndown',
        }),
      );
  }
}

// The server adapters load only when chosen: the EventStoreDB (gRPC), MongoDB and NATS clients
// cost memory that an embedded process would otherwise pay for nothing. `require`, not import():
// the workspace aliases resolve through require (tools/runtime/register-aliases.cjs, jest).
/* eslint-disable @typescript-eslint/no-require-imports */
const loadEsdb = () => require('@burndown/esdb') as typeof import('@burndown/esdb');
const loadMongo = () => require('@burndown/mongo') as typeof import('@burndown/mongo');
const loadNats = () => require('@burndown/nats') as typeof import('@burndown/nats');
/* eslint-enable @typescript-eslint/no-require-imports */

/** An adapter that cannot start fails the process with a message naming the settings involved. */
async function named<T>(choice: string, variable: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw new ConfigError(`${choice}: ${(error as Error).message} (check ${variable})`);
  }
}
