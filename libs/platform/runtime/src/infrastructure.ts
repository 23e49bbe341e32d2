import {
  EmbeddedBus,
  EmbeddedDatabase,
  PgliteEventStore,
  PgliteReadStore,
} from '@burndown/embedded';
import { EsdbEventStore } from '@burndown/esdb';
import { MongoReadStore } from '@burndown/mongo';
import { NatsBus } from '@burndown/nats';
import type { EventStore, MessageBus, ReadStore } from '@burndown/ports';
import { ensureBusTopology } from './bus-topology';
import { ConfigError, type BurndownConfig } from './config';

/** The adapters one process runs on, opened before Nest starts and closed after it stops. */
export interface Infrastructure {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly bus: MessageBus;
  close(): Promise<void>;
}

export async function openInfrastructure(
  config: Pick<BurndownConfig, 'eventStore' | 'readStore' | 'bus' | 'dedupeHorizonMs' | 'esdbUrl' | 'mongoUrl' | 'natsUrl' | 'natsNamespace'> & {
    /** Omitted: everything in memory (tests). */
    readonly dataDir?: string;
  },
): Promise<Infrastructure> {
  const opened: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close().catch(() => undefined);
  };
  try {
    // PGlite only when an embedded adapter needs it.
    const needsDatabase = config.eventStore === 'embedded' || config.readStore === 'embedded' || config.bus === 'embedded';
    const database = needsDatabase ? await EmbeddedDatabase.open(config.dataDir === undefined ? {} : { dataDir: config.dataDir }) : undefined;
    if (database !== undefined) opened.push(() => database.close());
    const eventStore = await openEventStore(config, database);
    opened.push(() => eventStore.close());
    const readStore = await openReadStore(config, database);
    opened.push(() => readStore.close());
    const bus = await openBus(config, database);
    opened.push(() => bus.close());
    await ensureBusTopology(bus, config.dedupeHorizonMs);
    return { eventStore, readStore, bus, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

const embedded = (database: EmbeddedDatabase | undefined): EmbeddedDatabase => {
  if (database === undefined) throw new Error('an embedded adapter was chosen without its database');
  return database;
};

async function openEventStore(config: Pick<BurndownConfig, 'eventStore' | 'esdbUrl'>, database: EmbeddedDatabase | undefined): Promise<EventStore> {
  switch (config.eventStore) {
    case 'embedded':
      return PgliteEventStore.create(embedded(database));
    case 'esdb':
      return named('BURNDOWN_EVENT_STORE=esdb', 'BURNDOWN_ESDB_URL', () => EsdbEventStore.connect(config.esdbUrl));
  }
}

async function openReadStore(config: Pick<BurndownConfig, 'readStore' | 'mongoUrl'>, database: EmbeddedDatabase | undefined): Promise<ReadStore> {
  switch (config.readStore) {
    case 'embedded':
      return PgliteReadStore.create(embedded(database));
    case 'mongo':
      return named('BURNDOWN_READ_STORE=mongo', 'BURNDOWN_MONGO_URL', () => MongoReadStore.connect(config.mongoUrl));
  }
}

async function openBus(config: Pick<BurndownConfig, 'bus' | 'natsUrl' | 'natsNamespace'>, database: EmbeddedDatabase | undefined): Promise<MessageBus> {
  switch (config.bus) {
    case 'embedded':
      return EmbeddedBus.create(embedded(database));
    case 'nats':
      return named('BURNDOWN_BUS=nats', 'BURNDOWN_NATS_URL', () =>
        NatsBus.connect({ url: config.natsUrl, namespace: config.natsNamespace, name: 'burndown' }),
      );
  }
}

/** An adapter that cannot start fails the process with a message naming the settings involved. */
async function named<T>(choice: string, variable: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw new ConfigError(`${choice}: ${(error as Error).message} (check ${variable})`);
  }
}
