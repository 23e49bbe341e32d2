import { connect } from 'nats';
import { describeMessageBusContract } from '@burndown/contracts';
import type { MessageBus, StreamConfig } from '@burndown/ports';
import { NatsBus } from './nats-bus';

// Always runs: .ci/run installs and starts nats-server (Debian's 2.9) on this address.
const url = process.env['BURNDOWN_NATS_URL'] ?? 'nats://127.0.0.1:4222';

describeMessageBusContract(`NatsBus (nats-server at ${url})`, async () => {
  const bus = await NatsBus.connect({ url, name: 'contract-test' });
  const created: string[] = [];
  // Each test makes its own stream; remember them to delete after, so a long-lived server stays clean.
  const adapter = new Proxy(bus, {
    get(target, property, receiver) {
      if (property === 'ensureStream') {
        return async (config: StreamConfig) => {
          created.push(config.name);
          return target.ensureStream(config);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  }) as MessageBus;
  return {
    adapter,
    teardown: async () => {
      await bus.close();
      const connection = await connect({ servers: url });
      const manager = await connection.jetstreamManager();
      for (const name of created) await manager.streams.delete(name).catch(() => undefined);
      await connection.close();
    },
  };
});

// A namespaced bus: the same contract, with every stream and subject under a prefix on the server.
const namespace = `contract_${process.pid}_${Date.now()}`;
describeMessageBusContract(`NatsBus in namespace ${namespace}`, async () => {
  const bus = await NatsBus.connect({ url, namespace });
  return {
    adapter: bus,
    teardown: async () => {
      await bus.close();
      await NatsBus.removeNamespace(url, namespace);
    },
  };
});

describe('NatsBus configuration errors', () => {
  it('fails to connect with a message naming the address', async () => {
    await expect(NatsBus.connect({ url: 'nats://127.0.0.1:1' })).rejects.toThrow(
      /cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/,
    );
  });
});

describe('NatsBus streams created by processes starting together', () => {
  it('lets every process ensure the same stream at once', async () => {
    const together = `together_${process.pid}_${Date.now()}`;
    const buses = await Promise.all(
      Array.from({ length: 6 }, () => NatsBus.connect({ url, namespace: together })),
    );
    try {
      for (let round = 0; round < 5; round++) {
        const stream = {
          name: `RACE${round}`,
          subjects: [`race${round}.>`],
          duplicateWindowMs: 60_000,
        };
        await expect(
          Promise.all(buses.map((bus) => bus.ensureStream(stream))),
        ).resolves.toHaveLength(buses.length);
      }
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
      await NatsBus.removeNamespace(url, together);
    }
  });
});
