import { describeEventStoreContract } from '@burndown/contracts';
import { externalService, untilReady, whenAvailable } from '@burndown/testing';
import { EsdbEventStore } from './esdb-event-store';

const esdb = externalService({
  name: 'EventStoreDB',
  urlVariable: 'ESDB_URL',
  image: 'eventstore/eventstore:24.10.6',
  port: 2113,
  args: ['--insecure', '--run-projections=None', '--mem-db'],
  url: (port) => `esdb://127.0.0.1:${port}?tls=false`,
});

whenAvailable(esdb, 'runs the EventStore contract against EventStoreDB', (server) => {
  describeEventStoreContract(`EsdbEventStore (${server.describe})`, async () => {
    const running = await server.start();
    const store = await untilReady(() => EsdbEventStore.connect(running.url));
    return {
      adapter: store,
      teardown: async () => {
        await store.close();
        await running.stop();
      },
    };
  });
});
