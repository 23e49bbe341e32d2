import { consumerFor, freshStream, Received, type BusAccess } from './message-bus-fixtures';
import { eventually, pause } from './store-contract-support';

/** Consumers that take their messages in batches, once per `batchIntervalMs`. */
export function describeCadenceContract(bus: BusAccess): void {
  describe('consume on a cadence (batchIntervalMs)', () => {
    it('delivers what was stored before and after it started, in order, once each', async () => {
      const stream = await freshStream(bus(), 'cadence');
      for (const n of [1, 2, 3])
        await bus().publish(`${stream.prefix}.x`, n, { msgId: `cad-${n}` });
      const received = new Received();
      const subscription = await bus().consume(
        consumerFor(stream, { batchIntervalMs: 50 }),
        async (message) => {
          received.messages.push(message);
        },
      );
      try {
        await eventually('the stored three', () => received.messages.length >= 3);
        for (const n of [4, 5]) await bus().publish(`${stream.prefix}.x`, n, { msgId: `cad-${n}` });
        await eventually('the later two', () => received.messages.length >= 5);
        await pause(200);
        expect(received.payloads()).toEqual([1, 2, 3, 4, 5]);
      } finally {
        await subscription.stop();
      }
    });

    it('drains a backlog larger than it may hold in flight', async () => {
      const stream = await freshStream(bus(), 'cadence-backlog');
      const published = Array.from({ length: 12 }, (_, index) => index);
      await Promise.all(
        published.map((n) => bus().publish(`${stream.prefix}.x`, n, { msgId: `cb-${n}` })),
      );
      const received = new Received();
      const subscription = await bus().consume(
        consumerFor(stream, { batchIntervalMs: 30, maxInFlight: 5 }),
        async (message) => {
          received.messages.push(message);
        },
      );
      try {
        await eventually('all twelve', () => received.messages.length >= 12);
        await pause(100);
        expect([...received.payloads()].sort((a, b) => Number(a) - Number(b))).toEqual(published);
      } finally {
        await subscription.stop();
      }
    });

    it('redelivers a failed message on a later batch, then stops once acked', async () => {
      const stream = await freshStream(bus(), 'cadence-retry');
      const received = new Received();
      const subscription = await bus().consume(
        consumerFor(stream, { batchIntervalMs: 30, maxDeliver: 5 }),
        async (message) => {
          received.messages.push(message);
          if (message.deliveryCount < 2) throw new Error('transient');
        },
      );
      try {
        await bus().publish(`${stream.prefix}.x`, 'flaky', { msgId: 'cr-1' });
        await eventually('the second delivery', () => received.messages.length >= 2);
        await pause(200);
        expect(received.messages.map((m) => m.deliveryCount)).toEqual([1, 2]);
      } finally {
        await subscription.stop();
      }
    });

    it('says when a durable has settled what its stream held, from another subscriber of the bus', async () => {
      const stream = await freshStream(bus(), 'caught-up');
      const config = consumerFor(stream, { batchIntervalMs: 300, maxInFlight: 4 });
      const received = new Received();
      const subscription = await bus().consume(config, async (message) => {
        await pause(20);
        received.messages.push(message);
      });
      try {
        await pause(100);
        for (const n of [1, 2, 3, 4, 5, 6])
          await bus().publish(`${stream.prefix}.x`, n, { msgId: `cu-${n}` });
        expect(await bus().caughtUp(stream.name, config.durableName, 10_000)).toBe(true);
        expect([...received.payloads()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
      } finally {
        await subscription.stop();
      }
      await bus().publish(`${stream.prefix}.x`, 7, { msgId: 'cu-7' });
      expect(await bus().caughtUp(stream.name, config.durableName, 200)).toBe(false);
    });

    it('holds a message published while it pauses until the interval ends; stop() cuts the pause', async () => {
      const stream = await freshStream(bus(), 'cadence-pause');
      const received = new Received();
      const subscription = await bus().consume(
        consumerFor(stream, { batchIntervalMs: 60_000 }),
        async (message) => {
          received.messages.push(message);
        },
      );
      await pause(200);
      await bus().publish(`${stream.prefix}.x`, 'later', { msgId: 'cp-1' });
      await pause(300);
      expect(received.messages).toEqual([]);
      const stopping = Date.now();
      await subscription.stop();
      expect(Date.now() - stopping).toBeLessThan(10_000);
    });
  });
}
