import { describeReadStoreContract } from '@burndown/contracts';
import { externalService, untilReady, whenAvailable } from '@burndown/testing';
import { MongoReadStore } from './mongo-read-store';

const mongo = externalService({
  name: 'MongoDB',
  urlVariable: 'MONGO_URL',
  image: 'mongo:8.0.4',
  port: 27017,
  url: (port) => `mongodb://127.0.0.1:${port}`,
});

whenAvailable(mongo, 'runs the ReadStore contract against MongoDB', (server) => {
  describeReadStoreContract(`MongoReadStore (${server.describe})`, async () => {
    const running = await server.start();
    const database = `contract_${process.pid}_${Date.now()}`;
    const store = await untilReady(() => MongoReadStore.connect(running.url, database));
    return {
      adapter: store,
      teardown: async () => {
        await store.close();
        await running.stop();
      },
    };
  });
});
