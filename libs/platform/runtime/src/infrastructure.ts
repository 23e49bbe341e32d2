import {
  EmbeddedBus,
  EmbeddedDatabase,
  PgliteEventStore,
  PgliteReadStore,
} from '@burndown/embedded';
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
  config: Pick<BurndownConfig, 'eventStore' | 'readStore' | 'bus' | 'dedupeHorizonMs' | 'natsUrl' | 'natsNamespace'> & {
    /** Omitted: everything in memory (tests). */
    readonly dataDir?: string;
  },
): Promise<Infrastructure> {
  const database = await EmbeddedDatabase.open(config.dataDir === undefined ? {} : { dataDir: config.dataDir });
  try {
    const eventStore = await PgliteEventStore.create(database);
    const readStore = await PgliteReadStore.create(database);
    const bus = await openBus(config, database);
    await ensureBusTopology(bus, config.dedupeHorizonMs);
    return {
      eventStore,
      readStore,
      bus,
      async close() {
        await bus.close();
        await eventStore.close();
        await readStore.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function openBus(config: Pick<BurndownConfig, 'bus' | 'natsUrl' | 'natsNamespace'>, database: EmbeddedDatabase): Promise<MessageBus> {
  switch (config.bus) {
    case 'embedded':
      return EmbeddedBus.create(database);
    case 'nats':
      try {
        return await NatsBus.connect({ url: config.natsUrl, namespace: config.natsNamespace, name: 'burndown' });
      } catch (error) {
        throw new ConfigError(`BURNDOWN_BUS=nats: ${(error as Error).message} (set BURNDOWN_NATS_URL)`);
      }
  }
}
