import type {
  EventHandler,
  NewEvent,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '@burndown/ports';
import {
  expectStrictlyIncreasing,
  newEvent,
  newEvents,
  type StoreAccess,
} from './event-store-fixtures';
import { eventually, pause, uniqueName } from './store-contract-support';

/** What the handler received, in order. */
interface Collected {
  readonly events: RecordedEvent[];
  readonly subscription: Subscription;
}

const idsOf = (events: readonly { readonly eventId: string }[]): string[] =>
  events.map((event) => event.eventId);

/** subscribeToAll: catch-up, live, filters, retries, stop and resume. */
export function describeSubscriptionContract(store: StoreAccess): void {
  describe('subscribeToAll', () => {
    const running: Subscription[] = [];
    const subscribe = (options: SubscribeToAllOptions, handler: EventHandler): Subscription => {
      const subscription = store().subscribeToAll(options, handler);
      running.push(subscription);
      return subscription;
    };
    const collect = (options: SubscribeToAllOptions): Collected => {
      const events: RecordedEvent[] = [];
      const subscription = subscribe(options, async (event) => {
        events.push(event);
      });
      return { events, subscription };
    };
    /** Only this test's streams: the store may hold anything else. */
    const streamsStartingWith = (prefix: string): SubscribeToAllOptions['filter'] => ({
      streamNamePrefixes: [prefix],
    });

    afterEach(async () => {
      await Promise.all(running.splice(0).map((subscription) => subscription.stop()));
    });

    it('catches up from the start in position order, one handler call at a time', async () => {
      const prefix = uniqueName('catch-up');
      const appended: NewEvent[] = [];
      for (const [suffix, count] of [
        ['a', 1],
        ['b', 2],
        ['a', 1],
        ['c', 3],
        ['b', 1],
        ['c', 5],
      ] as const) {
        const events = newEvents(count, 'CaughtUp');
        await store().append(`${prefix}-${suffix}`, events, 'any');
        appended.push(...events);
      }
      const events: RecordedEvent[] = [];
      let inFlight = 0;
      let mostInFlight = 0;
      subscribe({ filter: streamsStartingWith(prefix) }, async (event) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await pause(1);
        events.push(event);
        inFlight--;
      });

      await eventually('all appended events', () => events.length >= appended.length);
      expect(idsOf(events)).toEqual(idsOf(appended));
      expectStrictlyIncreasing(events.map((event) => event.position));
      expect(mostInFlight).toBe(1);
    });

    it('delivers only events after fromPosition, from every stream', async () => {
      const prefix = uniqueName('from-position');
      const marker = await store().append(`${prefix}-marker`, [newEvent('Marker')], 'no_stream');
      const appended = [newEvent('After'), newEvent('After'), newEvent('After')];
      await store().append(`${prefix}-x`, appended.slice(0, 2), 'no_stream');
      await store().append(`${prefix}-y`, appended.slice(2), 'no_stream');

      // Unfiltered: other tests' events go by too, so keep only this test's.
      const mine: RecordedEvent[] = [];
      subscribe({ fromPosition: marker.position }, async (event) => {
        if (event.streamName.startsWith(prefix)) mine.push(event);
      });

      await eventually('events after the marker', () => mine.length >= appended.length);
      expect(idsOf(mine)).toEqual(idsOf(appended));
    });

    it('resumes from a stored checkpoint with no gap and no repeat', async () => {
      const prefix = uniqueName('resume');
      const [a0, b0] = [newEvent('Resumed'), newEvent('Resumed')];
      const batch = newEvents(4, 'Batch');
      const tail = newEvents(2, 'Tail');
      await store().append(`${prefix}-a`, [a0], 'no_stream');
      await store().append(`${prefix}-b`, [b0], 'no_stream');
      // Four events are handled before the stop: the checkpoint falls inside this batch.
      await store().append(`${prefix}-a`, batch, 0n);

      const handled: RecordedEvent[] = [];
      let reachGate: () => void = () => undefined;
      let openGate: () => void = () => undefined;
      const atGate = new Promise<void>((resolve) => (reachGate = resolve));
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      let fourthFinished = false;
      const first = subscribe({ filter: streamsStartingWith(prefix) }, async (event) => {
        handled.push(event);
        if (handled.length === 4) {
          reachGate();
          await gate;
          fourthFinished = true;
        }
      });

      await atGate;
      let stopped = false;
      const stopping = first.stop().then(() => (stopped = true));
      await pause(50);
      expect(stopped).toBe(false); // stop() waits for the handler in flight
      openGate();
      await stopping;
      expect(fourthFinished).toBe(true);
      await pause(100);
      expect(handled).toHaveLength(4); // no call after stop()

      const checkpoint = (handled.at(-1) as RecordedEvent).position;
      const resumed = collect({ filter: streamsStartingWith(prefix), fromPosition: checkpoint });
      await store().append(`${prefix}-b`, tail, 0n);
      const everything = [a0, b0, ...batch, ...tail];
      await eventually('the rest after the checkpoint', () => {
        return handled.length + resumed.events.length >= everything.length;
      });
      expect([...idsOf(handled), ...idsOf(resumed.events)]).toEqual(idsOf(everything));
    });

    it('delivers live events after the catch-up', async () => {
      const prefix = uniqueName('live');
      const historic = newEvents(2, 'Historic');
      await store().append(`${prefix}-1`, historic, 'no_stream');
      const { events } = collect({ filter: streamsStartingWith(prefix) });
      await eventually('the catch-up', () => events.length >= 2);

      const live = [newEvent('Live')];
      await store().append(`${prefix}-2`, live, 'no_stream');
      await eventually('the first live event', () => events.length >= 3);
      const more = newEvents(3, 'Live');
      await store().append(`${prefix}-1`, more, 1n);

      await eventually('every live event', () => events.length >= 6);
      expect(idsOf(events)).toEqual(idsOf([...historic, ...live, ...more]));
    });

    describe('filters', () => {
      const prefix = uniqueName('filter');
      const type = uniqueName('Type');
      const streamA1 = `${prefix}-a-1`;
      const streamA2 = `${prefix}-a-2`;
      const streamB1 = `${prefix}-b-1`;
      const streamB2 = `${prefix}-b-2`;
      const credited = `${type}.Credited`;
      const debited = `${type}.Debited`;

      beforeAll(async () => {
        for (const [stream, eventType] of [
          [streamA1, credited],
          [streamB1, debited],
          [streamA2, debited],
          [streamB2, credited],
          [uniqueName('unrelated'), uniqueName('Unrelated')],
        ] as const) {
          await store().append(stream, [newEvent(eventType)], 'no_stream');
        }
      });

      /**
       * Collects until a sentinel that passes the filter arrives. Delivery is in position order,
       * so by then every earlier matching event has arrived, and nothing else may have.
       */
      const streamsDelivered = async (
        filter: SubscribeToAllOptions['filter'],
        sentinel: { readonly stream: string; readonly type: string },
      ): Promise<string[]> => {
        const { events } = collect({ filter });
        const event = newEvent(sentinel.type);
        await store().append(sentinel.stream, [event], 'no_stream');
        await eventually('the sentinel', () => events.some((e) => e.eventId === event.eventId));
        return events.filter((e) => e.eventId !== event.eventId).map((e) => e.streamName);
      };

      // Each sentinel passes its own test's filter and no other's, so the tests stay independent.
      it('by stream name prefix', async () => {
        const streams = await streamsDelivered(
          { streamNamePrefixes: [`${prefix}-a`] },
          { stream: `${prefix}-a-sentinel`, type: uniqueName('Sentinel') },
        );
        expect(streams).toEqual([streamA1, streamA2]);
      });

      it('by any of several stream name prefixes', async () => {
        const streams = await streamsDelivered(
          { streamNamePrefixes: [streamA1, streamB2, `${prefix}-s2`] },
          { stream: `${prefix}-s2`, type: uniqueName('Sentinel') },
        );
        expect(streams).toEqual([streamA1, streamB2]);
      });

      it('by event type prefix', async () => {
        const streams = await streamsDelivered(
          { eventTypePrefixes: [`${type}.Cred`, `${type}.S3`] },
          { stream: uniqueName('sentinel'), type: `${type}.S3` },
        );
        expect(streams).toEqual([streamA1, streamB2]);
      });

      it('by stream or type prefix, delivering an event that matches both once', async () => {
        const streams = await streamsDelivered(
          {
            streamNamePrefixes: [`${prefix}-b`],
            eventTypePrefixes: [`${type}.Cred`, `${type}.S4`],
          },
          { stream: uniqueName('sentinel'), type: `${type}.S4` },
        );
        expect(streams).toEqual([streamA1, streamB1, streamB2]);
      });
    });

    it('retries a throwing handler with the same event and reports each failure', async () => {
      const prefix = uniqueName('retry');
      const appended = newEvents(3, 'Flaky');
      await store().append(`${prefix}-1`, appended, 'no_stream');
      const flaky = appended[1]?.eventId;
      let failuresLeft = 2;
      const calls: string[] = [];
      const handled: string[] = [];
      const reported: Array<{ error: unknown; eventId: string }> = [];

      subscribe(
        {
          filter: streamsStartingWith(prefix),
          onError: (error, event) => reported.push({ error, eventId: event.eventId }),
        },
        async (event) => {
          calls.push(event.eventId);
          if (event.eventId === flaky && failuresLeft > 0) {
            failuresLeft--;
            throw new Error('transient failure');
          }
          handled.push(event.eventId);
        },
      );

      await eventually('all events handled', () => handled.length >= 3);
      const [first, second, third] = idsOf(appended);
      expect(handled).toEqual([first, second, third]);
      expect(calls).toEqual([first, second, second, second, third]);
      expect(reported.map((report) => report.eventId)).toEqual([second, second]);
      expect(
        reported.every((report) => (report.error as Error).message === 'transient failure'),
      ).toBe(true);
    });

    it('delivers nothing after stop() resolves, and stop() may be called twice', async () => {
      const prefix = uniqueName('stop');
      await store().append(`${prefix}-1`, [newEvent('BeforeStop')], 'no_stream');
      const { events, subscription } = collect({ filter: streamsStartingWith(prefix) });
      await eventually('the first event', () => events.length >= 1);

      await subscription.stop();
      await store().append(`${prefix}-1`, newEvents(2, 'AfterStop'), 0n);
      await pause(300);
      expect(events).toHaveLength(1);
      await subscription.stop();
    });
  });
}
