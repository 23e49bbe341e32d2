import { describeMessageBusContract, eventually } from '@burndown/contracts';
import type { BusMessage, ConsumerConfig } from '@burndown/ports';
import { EmbeddedDatabase } from '../embedded-database';
import { EmbeddedBus } from './embedded-bus';
import { temporaryDataDirEachTest } from '../test-support/temporary-data-dir';

describeMessageBusContract('EmbeddedBus (in memory)', async () => {
  const database = await EmbeddedDatabase.open();
  const bus = await EmbeddedBus.create(database);
  return {
    adapter: bus,
    teardown: async () => {
      await bus.close();
      await database.close();
    },
  };
});

describe('EmbeddedBus across restarts of a data directory', () => {
  const dataDir = temporaryDataDirEachTest('burndown-bus-');

  const open = async () => {
    const database = await EmbeddedDatabase.open({ dataDir: dataDir() });
    const bus = await EmbeddedBus.create(database);
    await bus.ensureStream({ name: 'WORK', subjects: ['work.>'], duplicateWindowMs: 60_000 });
    return {
      bus,
      close: async () => {
        await bus.close();
        await database.close();
      },
    };
  };
  const config: ConsumerConfig = {
    stream: 'WORK',
    durableName: 'worker',
    ackWaitMs: 60_000,
    maxDeliver: 5,
    backoffMs: [10],
  };

  it('keeps messages, msg-id dedupe and consumer progress, and redelivers at once what a dead process held', async () => {
    const first = await open();
    await first.bus.publish('work.a', 'done-before', { msgId: 'w-1' });
    const seen: BusMessage[] = [];
    let releaseStuck: () => void = () => undefined;
    const subscription = await first.bus.consume(config, async (message) => {
      seen.push(message);
      // The second message never finishes in this process: as if it was killed mid-handler.
      if (message.msgId === 'w-2') await new Promise<void>((resolve) => (releaseStuck = resolve));
    });
    await first.bus.publish('work.a', 'held-when-killed', { msgId: 'w-2' });
    await eventually('the held message to be taken', () => seen.length === 2);
    // Simulate the crash: the pending row (due in 60 s) stays as it is; the handler never acks.
    const stopping = subscription.stop();
    await first.close().catch(() => undefined);
    releaseStuck();
    await stopping.catch(() => undefined);

    const second = await open();
    try {
      expect((await second.bus.publish('work.a', 'again', { msgId: 'w-1' })).duplicate).toBe(true);
      const redelivered: BusMessage[] = [];
      const resumed = await second.bus.consume(config, async (message) => {
        redelivered.push(message);
      });
      await eventually('the held message again', () => redelivered.length >= 1, 3_000);
      await resumed.stop();
      expect(redelivered.map((m) => [m.msgId, m.deliveryCount])).toEqual([['w-2', 2]]);
    } finally {
      await second.close();
    }
  });

  it('keeps a message parked for a retry across a restart, once, with its delivery count', async () => {
    const first = await open();
    const seen: BusMessage[] = [];
    // A backoff far longer than the test: only the restart can make the parked message due.
    const parking = await first.bus.consume(
      { ...config, backoffMs: [600_000] },
      async (message) => {
        seen.push(message);
        if (message.msgId === 'r-1') throw new Error('not yet');
      },
    );
    await first.bus.publish('work.a', 'fails-once', { msgId: 'r-1' });
    await first.bus.publish('work.a', 'fine', { msgId: 'r-2' });
    await eventually('both delivered', () => seen.length === 2);
    await parking.stop();
    await first.close();

    const second = await open();
    try {
      const redelivered: BusMessage[] = [];
      const resumed = await second.bus.consume(config, async (message) => {
        redelivered.push(message);
      });
      await eventually('the parked message again', () => redelivered.length >= 1, 3_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await resumed.stop();
      expect(redelivered.map((m) => [m.msgId, m.deliveryCount])).toEqual([['r-1', 2]]);
    } finally {
      await second.close();
    }
  });
});

describe('EmbeddedBus retries without asking for them on every wake-up', () => {
  it('redelivers a message it parked, and finds a retry row it did not write within the poll interval', async () => {
    const database = await EmbeddedDatabase.open();
    const bus = await EmbeddedBus.create(database, { pollIntervalMs: 100 });
    try {
      await bus.ensureStream({ name: 'JOBS', subjects: ['jobs.>'], duplicateWindowMs: 60_000 });
      const deliveries: string[] = [];
      const subscription = await bus.consume(
        {
          stream: 'JOBS',
          durableName: 'runner',
          ackWaitMs: 60_000,
          maxDeliver: 5,
          backoffMs: [10],
        },
        async (message) => {
          deliveries.push(`${message.msgId}#${message.deliveryCount}`);
          if (message.msgId === 'flaky' && message.deliveryCount === 1) throw new Error('not yet');
        },
      );
      await bus.publish('jobs.a', 'x', { msgId: 'flaky' });
      await eventually('the parked message to come again', () => deliveries.includes('flaky#2'));

      await bus.publish('jobs.a', 'y', { msgId: 'steady' });
      await eventually('the message to be taken', () => deliveries.includes('steady#1'));
      // A retry row written behind the consumer's back (its count of rows knows nothing of it).
      database.exec(`INSERT INTO bus_pending (stream, durable_name, sequence, deliveries, due_at)
        SELECT 'JOBS', 'runner', sequence, 1, 0 FROM bus_messages WHERE stream = 'JOBS' AND msg_id = 'steady'`);
      await eventually('the row to be found', () => deliveries.includes('steady#2'));
      await subscription.stop();
    } finally {
      await bus.close();
      await database.close();
    }
  });
});

describe('EmbeddedBus merging durables into one', () => {
  it('starts the new durable where the slowest had acknowledged, with their retries', async () => {
    const database = await EmbeddedDatabase.open();
    const bus = await EmbeddedBus.create(database, { pollIntervalMs: 100 });
    try {
      await bus.ensureStream({ name: 'PARTS', subjects: ['parts.>'], duplicateWindowMs: 60_000 });
      const part = (durableName: string, filterSubject: string): ConsumerConfig => ({
        stream: 'PARTS',
        durableName,
        filterSubject,
        ackWaitMs: 60_000,
        maxDeliver: 5,
        backoffMs: [60_000],
      });
      const seen: string[] = [];
      const handle = async (message: BusMessage) => {
        seen.push(message.msgId);
        if (message.msgId === 'm2') throw new Error('parked for a minute');
      };
      const p0 = await bus.consume(part('p0', 'parts.0.>'), handle);
      const p1 = await bus.consume(part('p1', 'parts.1.>'), handle);
      for (const [subject, msgId] of [
        ['parts.0.a', 'm1'],
        ['parts.1.a', 'm2'],
        ['parts.0.b', 'm3'],
      ])
        await bus.publish(subject as string, msgId as string, { msgId: msgId as string });
      await eventually('the first three to be handled', () => seen.length === 3);
      await p1.stop();
      // Published while p1 is stopped: p1 never sees m5; p0 handles m6.
      await bus.publish('parts.1.c', 'm5', { msgId: 'm5' });
      await bus.publish('parts.0.c', 'm6', { msgId: 'm6' });
      await eventually('m6 to be handled', () => seen.includes('m6'));
      await p0.stop();

      const merged: BusMessage[] = [];
      const all = await bus.consume(
        { ...part('all', 'parts.>'), takesOverFrom: ['p0', 'p1'] },
        async (message) => void merged.push(message),
      );
      await eventually('the merged durable to catch up', () => merged.length === 3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // m2 from p1's retry row, m5 that p1 never saw, m6 again (p0 had done it; idempotent
      // handlers absorb it); nothing below the slowest floor.
      expect(merged.map((message) => message.msgId).sort()).toEqual(['m2', 'm5', 'm6']);
      expect(merged.find((message) => message.msgId === 'm2')?.deliveryCount).toBe(2);
      await all.stop();
    } finally {
      await bus.close();
      await database.close();
    }
  });
});
