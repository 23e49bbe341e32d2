import {
  DEAD_LETTER_STREAM,
  PermanentFailure,
  deadLetterSubject,
  type DeadLetter,
} from '@burndown/ports';
import { consumerFor, freshStream, Received, type BusAccess } from './message-bus-fixtures';
import { eventually, pause } from './store-contract-support';

/** Durable consumers: delivery, ack, redelivery with backoff, dead letters, resumption. */
export function describeConsumeContract(bus: BusAccess): void {
  const deadLettersOf = async (durableName: string): Promise<DeadLetter[]> => {
    const stored = await bus().browse(DEAD_LETTER_STREAM, {
      limit: 100,
      filterSubject: deadLetterSubject(durableName),
    });
    return stored.map((message) => message.payload as DeadLetter);
  };

  describe('consume', () => {
    it('delivers messages stored before and after it started, in order, once each', async () => {
      const stream = await freshStream(bus(), 'deliver');
      await bus().publish(`${stream.prefix}.a`, 1, { msgId: 'd-1', headers: { origin: 'test' } });
      const received = new Received();
      const subscription = await bus().consume(consumerFor(stream), async (message) => {
        received.messages.push(message);
      });
      try {
        await bus().publish(`${stream.prefix}.b`, 2, { msgId: 'd-2' });
        await eventually('two deliveries', () => received.messages.length >= 2);
        await pause(100);
        expect(received.payloads()).toEqual([1, 2]);
        expect(received.messages.map((m) => m.deliveryCount)).toEqual([1, 1]);
        expect(received.messages[0]).toMatchObject({
          subject: `${stream.prefix}.a`,
          msgId: 'd-1',
          stream: stream.name,
        });
        expect(received.messages[0]?.headers).toMatchObject({ origin: 'test' });
      } finally {
        await subscription.stop();
      }
    });

    it('delivers only subjects matching its filter', async () => {
      const stream = await freshStream(bus(), 'filter');
      const received = new Received();
      const subscription = await bus().consume(
        consumerFor(stream, { filterSubject: `${stream.prefix}.wanted.*` }),
        async (message) => {
          received.messages.push(message);
        },
      );
      try {
        await bus().publish(`${stream.prefix}.other.x`, 'skip', { msgId: 'f-1' });
        await bus().publish(`${stream.prefix}.wanted.x`, 'take', { msgId: 'f-2' });
        await eventually('the wanted message', () => received.messages.length >= 1);
        await pause(100);
        expect(received.payloads()).toEqual(['take']);
      } finally {
        await subscription.stop();
      }
    });

    it('gives every durable on a stream its own copy', async () => {
      const stream = await freshStream(bus(), 'fanout');
      const first = new Received();
      const second = new Received();
      const subscriptions = await Promise.all(
        [first, second].map((received) =>
          bus().consume(consumerFor(stream), async (message) => {
            received.messages.push(message);
          }),
        ),
      );
      try {
        await bus().publish(`${stream.prefix}.x`, 'hello', { msgId: 'fan-1' });
        await eventually(
          'both copies',
          () => first.messages.length === 1 && second.messages.length === 1,
        );
      } finally {
        await Promise.all(subscriptions.map((subscription) => subscription.stop()));
      }
    });

    it('redelivers after a failure with a higher delivery count, then stops once acked', async () => {
      const stream = await freshStream(bus(), 'retry');
      const received = new Received();
      const subscription = await bus().consume(
        consumerFor(stream, { maxDeliver: 5 }),
        async (message) => {
          received.messages.push(message);
          if (message.deliveryCount < 3) throw new Error('transient');
        },
      );
      try {
        await bus().publish(`${stream.prefix}.x`, 'flaky', { msgId: 'r-1' });
        await eventually('the third delivery', () => received.messages.length >= 3);
        await pause(200);
        expect(received.messages.map((m) => m.deliveryCount)).toEqual([1, 2, 3]);
        expect(received.messages.every((m) => m.msgId === 'r-1')).toBe(true);
      } finally {
        await subscription.stop();
      }
    });

    it('dead-letters after maxDeliver failures, keeping payload and reason, and delivers no more', async () => {
      const stream = await freshStream(bus(), 'poison');
      const config = consumerFor(stream, { maxDeliver: 2 });
      const received = new Received();
      const subscription = await bus().consume(config, async (message) => {
        received.messages.push(message);
        throw new Error('always broken');
      });
      try {
        await bus().publish(`${stream.prefix}.x`, { bad: true }, { msgId: 'p-1' });
        let deadLetters: DeadLetter[] = [];
        const deadline = Date.now() + 5_000;
        while (deadLetters.length === 0 && Date.now() < deadline) {
          await pause(20);
          deadLetters = await deadLettersOf(config.durableName);
        }
        await pause(200);
        expect(received.messages.map((m) => m.deliveryCount)).toEqual([1, 2]);
        expect(deadLetters).toHaveLength(1);
        expect(deadLetters[0]).toMatchObject({
          stream: stream.name,
          consumer: config.durableName,
          subject: `${stream.prefix}.x`,
          msgId: 'p-1',
          deliveries: 2,
          payload: { bad: true },
        });
        expect(deadLetters[0]?.reason).toContain('always broken');
      } finally {
        await subscription.stop();
      }
    });

    it('dead-letters a PermanentFailure at once and moves on to the next message', async () => {
      const stream = await freshStream(bus(), 'permanent');
      const config = consumerFor(stream, { maxDeliver: 10 });
      const received = new Received();
      const subscription = await bus().consume(config, async (message) => {
        received.messages.push(message);
        if (message.payload === 'unrateable') throw new PermanentFailure('cannot ever work');
      });
      try {
        await bus().publish(`${stream.prefix}.x`, 'unrateable', { msgId: 'pf-1' });
        await bus().publish(`${stream.prefix}.x`, 'fine', { msgId: 'pf-2' });
        await eventually('both messages', () => received.messages.length >= 2);
        await pause(200);
        expect(received.payloads()).toEqual(['unrateable', 'fine']);
        const deadLetters = await deadLettersOf(config.durableName);
        expect(deadLetters.map((letter) => [letter.msgId, letter.deliveries])).toEqual([
          ['pf-1', 1],
        ]);
        expect(deadLetters[0]?.reason).toContain('cannot ever work');
      } finally {
        await subscription.stop();
      }
    });

    it('resumes a durable after stop: acked messages stay acked, new ones arrive', async () => {
      const stream = await freshStream(bus(), 'resume');
      const config = consumerFor(stream);
      const received = new Received();
      const handler = async (message: (typeof received.messages)[number]): Promise<void> => {
        received.messages.push(message);
      };
      const first = await bus().consume(config, handler);
      await bus().publish(`${stream.prefix}.x`, 1, { msgId: 'res-1' });
      await eventually('the first message', () => received.messages.length === 1);
      await first.stop();

      await bus().publish(`${stream.prefix}.x`, 2, { msgId: 'res-2' });
      const second = await bus().consume(config, handler);
      try {
        await eventually(
          'the message published while stopped',
          () => received.messages.length >= 2,
        );
        await pause(100);
        expect(received.payloads()).toEqual([1, 2]);
      } finally {
        await second.stop();
      }
    });

    it('waits in stop() for a running handler to finish', async () => {
      const stream = await freshStream(bus(), 'stop');
      let finished = false;
      let started = false;
      const subscription = await bus().consume(consumerFor(stream), async () => {
        started = true;
        await pause(150);
        finished = true;
      });
      await bus().publish(`${stream.prefix}.x`, 'slow', { msgId: 's-1' });
      await eventually('the handler to start', () => started);
      await subscription.stop();
      expect(finished).toBe(true);
    });
  });
}
