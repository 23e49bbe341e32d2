import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import {
  DATABASE_FILES,
  EmbeddedBus,
  EmbeddedDatabase,
  SqliteEventStore,
  SqliteReadStore,
  type EmbeddedAdapter,
  type SharedDatabases,
} from '@burndown/embedded';
import type { EventStore, MessageBus, ReadStore } from '@burndown/ports';
import { ensureBusTopology } from './bus-topology';
import { countingEventStore } from './counting-event-store';
import { ConfigError, type BurndownConfig } from './config';
import { natsConnectionOptions } from './nats-connection';

/** The adapters one process runs on, opened before Nest starts and closed after it stops. */
export interface Infrastructure {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly bus: MessageBus;
  /**
   * For a service thread: the embedded databases opened here (one per embedded adapter), to join
   * from that thread. Throws for databases in memory (they cannot be shared).
   */
  shareDatabases(): SharedDatabases;
  /** Embedded databases in memory: a service thread cannot share them. */
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
    | 'nats'
  > & {
    /** Omitted: everything in memory (tests). */
    readonly dataDir?: string;
  },
  /** In a service thread: the main thread's embedded databases, joined instead of opened. */
  joining?: SharedDatabases,
): Promise<Infrastructure> {
  const adapterClosers: Array<() => Promise<void>> = [];
  const databaseClosers: Array<() => Promise<void>> = [];
  // The adapters first, then the databases under them.
  const closeAll = async () => {
    for (const close of [...adapterClosers.reverse(), ...databaseClosers.reverse()])
      await close().catch(() => undefined);
  };
  try {
    // An embedded database only for an adapter that is embedded, and only after every server
    // answered: an unreachable server fails the start at once, not after a store has opened.
    const databases = new Map<EmbeddedAdapter, EmbeddedDatabase>();
    const openDatabase = async (adapter: EmbeddedAdapter): Promise<EmbeddedDatabase> => {
      const shared = joining?.[adapter];
      if (joining !== undefined && shared === undefined)
        throw new Error(`the main thread shared no ${adapter} database to join`);
      const db =
        shared !== undefined
          ? EmbeddedDatabase.join(shared)
          : await EmbeddedDatabase.open({
              sync: config.embeddedSync,
              file: DATABASE_FILES[adapter],
              ...(config.dataDir === undefined ? {} : { dataDir: config.dataDir }),
            });
      databaseClosers.push(() => db.close());
      databases.set(adapter, db);
      return db;
    };
    // Where an earlier version kept every embedded adapter's tables (only the opening thread moves them).
    const movingFrom =
      config.dataDir === undefined || joining !== undefined
        ? {}
        : { movingFrom: join(config.dataDir, DATABASE_FILES.eventStore) };
    const adapters: { eventStore?: EventStore; readStore?: ReadStore; bus?: MessageBus } = {};
    const openers = [
      {
        server: config.eventStore !== 'embedded',
        open: async () => (adapters.eventStore = await openEventStore(config, openDatabase)),
      },
      {
        server: config.readStore !== 'embedded',
        open: async () =>
          (adapters.readStore = await openReadStore(config, openDatabase, movingFrom)),
      },
      {
        server: config.bus !== 'embedded',
        open: async () => (adapters.bus = await openBus(config, openDatabase, movingFrom)),
      },
    ];
    for (const { open } of [
      ...openers.filter((opener) => opener.server),
      ...openers.filter((opener) => !opener.server),
    ]) {
      const adapter = await open();
      adapterClosers.push(() => adapter.close());
    }
    const { eventStore, readStore, bus } = adapters as Required<typeof adapters>;
    await ensureBusTopology(bus, config.dedupeHorizonMs);
    // Counted for /health: appends per event is how well group commit groups.
    return {
      eventStore: countingEventStore(eventStore),
      readStore,
      bus,
      shareDatabases: () =>
        Object.fromEntries([...databases].map(([adapter, db]) => [adapter, db.share()])),
      inMemory: databases.size > 0 && config.dataDir === undefined,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

type OpenDatabase = (adapter: EmbeddedAdapter) => Promise<EmbeddedDatabase>;
type MovingFrom = { readonly movingFrom?: string };

async function openEventStore(
  config: Pick<BurndownConfig, 'eventStore' | 'esdbUrl'>,
  openDatabase: OpenDatabase,
): Promise<EventStore> {
  switch (config.eventStore) {
    case 'embedded':
      return SqliteEventStore.create(await openDatabase('eventStore'));
    case 'esdb':
      return named('BURNDOWN_EVENT_STORE=esdb', 'BURNDOWN_ESDB_URL', () =>
        loadEsdb().EsdbEventStore.connect(config.esdbUrl),
      );
  }
}

async function openReadStore(
  config: Pick<BurndownConfig, 'readStore' | 'mongoUrl'>,
  openDatabase: OpenDatabase,
  movingFrom: MovingFrom,
): Promise<ReadStore> {
  switch (config.readStore) {
    case 'embedded':
      return SqliteReadStore.create(await openDatabase('readStore'), movingFrom);
    case 'mongo':
      return named('BURNDOWN_READ_STORE=mongo', 'BURNDOWN_MONGO_URL', () =>
        loadMongo().MongoReadStore.connect(config.mongoUrl),
      );
  }
}

async function openBus(
  config: Pick<BurndownConfig, 'bus' | 'natsUrl' | 'natsNamespace' | 'nats'>,
  openDatabase: OpenDatabase,
  movingFrom: MovingFrom,
): Promise<MessageBus> {
  switch (config.bus) {
    case 'embedded':
      return EmbeddedBus.create(await openDatabase('bus'), movingFrom);
    case 'nats': {
      const connection = natsConnectionOptions(config.nats);
      const logger = new Logger('NatsBus');
      return named('BURNDOWN_BUS=nats', 'BURNDOWN_NATS_URL and BURNDOWN_NATS_*', () =>
        loadNats().NatsBus.connect({
          url: config.natsUrl,
          namespace: config.natsNamespace,
          name: 'burndown',
          ...connection,
          warn: (message) => logger.warn(message),
        }),
      );
    }
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
