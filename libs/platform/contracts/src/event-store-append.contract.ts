import { WrongExpectedRevisionError, type ReadStreamOptions } from '@burndown/ports';
import {
  expectStrictlyIncreasing,
  newEvent,
  newEvents,
  refusedAppend,
  type StoreAccess,
} from './event-store-fixtures';
import { uniqueName } from './store-contract-support';

/** Appends, optimistic concurrency and reads of one stream. */
export function describeAppendAndReadContract(store: StoreAccess): void {
  describe('append', () => {
    it('creates a stream with no_stream, then continues from the returned revision', async () => {
      const stream = uniqueName('append');
      const first = newEvents(2, 'Opened');
      const second = newEvents(1, 'Credited');

      const created = await store().append(stream, first, 'no_stream');
      expect(created.nextExpectedRevision).toBe(1n);
      const continued = await store().append(stream, second, created.nextExpectedRevision);
      expect(continued.nextExpectedRevision).toBe(2n);
      expect(continued.position > created.position).toBe(true);

      const read = await store().readStream(stream);
      expect(read.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      expect(read.map((event) => event.eventId)).toEqual(
        [...first, ...second].map((event) => event.eventId),
      );
      expect(read.every((event) => event.streamName === stream)).toBe(true);
    });

    it('reports the last appended position, distinct for every event of one append', async () => {
      const stream = uniqueName('positions');
      const result = await store().append(stream, newEvents(3, 'Counted'), 'no_stream');
      const read = await store().readStream(stream);
      expectStrictlyIncreasing(read.map((event) => event.position));
      expect(read.at(-1)?.position).toBe(result.position);
    });

    it('refuses a wrong expected revision and reports the actual one', async () => {
      const stream = uniqueName('wrong-revision');
      await store().append(stream, newEvents(2, 'Opened'), 'no_stream');

      for (const expected of [0n, 2n, 7n]) {
        const error = await refusedAppend(store().append(stream, newEvents(1, 'Late'), expected));
        expect(error.streamName).toBe(stream);
        expect(error.expected).toBe(expected);
        expect(error.actual).toBe(1n);
      }
      const again = await refusedAppend(store().append(stream, newEvents(1, 'Late'), 'no_stream'));
      expect(again.actual).toBe(1n);
      expect(await store().readStream(stream)).toHaveLength(2);
    });

    it('refuses a revision or stream_exists on a missing stream with actual no_stream', async () => {
      const stream = uniqueName('missing');
      const byRevision = await refusedAppend(store().append(stream, newEvents(1, 'Late'), 0n));
      expect(byRevision.actual).toBe('no_stream');
      const byExists = await refusedAppend(
        store().append(stream, newEvents(1, 'Late'), 'stream_exists'),
      );
      expect(byExists.actual).toBe('no_stream');
      expect(byExists.expected).toBe('stream_exists');
      expect(await store().readStream(stream)).toEqual([]);
    });

    it('accepts stream_exists on an existing stream and any on new and existing streams', async () => {
      const stream = uniqueName('any');
      expect((await store().append(stream, newEvents(1, 'A'), 'any')).nextExpectedRevision).toBe(
        0n,
      );
      expect((await store().append(stream, newEvents(2, 'B'), 'any')).nextExpectedRevision).toBe(
        2n,
      );
      const exists = await store().append(stream, newEvents(1, 'C'), 'stream_exists');
      expect(exists.nextExpectedRevision).toBe(3n);
      expect(await store().readStream(stream)).toHaveLength(4);
    });

    it('lets exactly one of two concurrent appends at the same revision win', async () => {
      const stream = uniqueName('race');
      await store().append(stream, newEvents(1, 'Opened'), 'no_stream');
      const contenders = [newEvents(3, 'Left'), newEvents(3, 'Right')];

      const outcomes = await Promise.allSettled(
        contenders.map((events) => store().append(stream, events, 0n)),
      );

      const won = outcomes.flatMap((outcome, index) =>
        outcome.status === 'fulfilled' ? [index] : [],
      );
      const lost = outcomes.flatMap((outcome) =>
        outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(WrongExpectedRevisionError);
      expect((lost[0] as WrongExpectedRevisionError).actual).toBe(3n);
      // All-or-nothing: the stream holds the winner's events and none of the loser's.
      const winner = contenders[won[0] as number] ?? [];
      const read = await store().readStream(stream);
      expect(read.slice(1).map((event) => event.eventId)).toEqual(
        winner.map((event) => event.eventId),
      );
      expect(read.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n]);
    });

    it('lets exactly one of several concurrent creators of a stream win', async () => {
      const stream = uniqueName('create-race');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, () =>
          store().append(stream, newEvents(2, 'Opened'), 'no_stream'),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
      }
      expect(await store().readStream(stream)).toHaveLength(2);
    });

    it('leaves nothing behind when a multi-event append is refused', async () => {
      const existing = uniqueName('atomic');
      await store().append(existing, newEvents(1, 'Opened'), 'no_stream');
      await refusedAppend(store().append(existing, newEvents(3, 'Batch'), 5n));
      expect(await store().readStream(existing)).toHaveLength(1);

      const missing = uniqueName('atomic-missing');
      await refusedAppend(store().append(missing, newEvents(3, 'Batch'), 'stream_exists'));
      expect(await store().readStream(missing)).toEqual([]);
    });

    it('gives later appends higher positions, across streams', async () => {
      const [left, right] = [uniqueName('order-left'), uniqueName('order-right')];
      const positions: bigint[] = [];
      for (const [stream, expected] of [
        [left, 'no_stream'],
        [right, 'no_stream'],
        [left, 0n],
        [right, 0n],
      ] as const) {
        positions.push((await store().append(stream, [newEvent('Tick')], expected)).position);
      }
      expectStrictlyIncreasing(positions);
    });
  });

  describe('readStream', () => {
    const stream = uniqueName('read');
    let eventIds: string[] = [];
    const read = async (options: ReadStreamOptions) =>
      (await store().readStream(stream, options)).map((event) => event.revision);

    beforeAll(async () => {
      const events = newEvents(5, 'Read');
      eventIds = events.map((event) => event.eventId);
      await store().append(stream, events, 'no_stream');
    });

    it('reads forwards by default and backwards on request', async () => {
      const forwards = await store().readStream(stream);
      expect(forwards.map((event) => event.eventId)).toEqual(eventIds);
      expect(await read({})).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(await read({ direction: 'backwards' })).toEqual([4n, 3n, 2n, 1n, 0n]);
    });

    it('starts at fromRevision inclusively in either direction', async () => {
      expect(await read({ fromRevision: 2n })).toEqual([2n, 3n, 4n]);
      expect(await read({ fromRevision: 2n, direction: 'backwards' })).toEqual([2n, 1n, 0n]);
      expect(await read({ fromRevision: 4n })).toEqual([4n]);
      expect(await read({ fromRevision: 9n })).toEqual([]);
    });

    it('returns at most maxCount events', async () => {
      expect(await read({ maxCount: 2 })).toEqual([0n, 1n]);
      expect(await read({ maxCount: 2, direction: 'backwards' })).toEqual([4n, 3n]);
      expect(await read({ fromRevision: 1n, maxCount: 2 })).toEqual([1n, 2n]);
      expect(await read({ fromRevision: 3n, maxCount: 2, direction: 'backwards' })).toEqual([
        3n,
        2n,
      ]);
      expect(await read({ maxCount: 50 })).toHaveLength(5);
    });

    it('orders revisions as numbers, not as text', async () => {
      const long = uniqueName('long');
      await store().append(long, newEvents(12, 'Long'), 'no_stream');
      const revisions = Array.from({ length: 12 }, (_, i) => BigInt(i));
      const forwards = await store().readStream(long);
      expect(forwards.map((event) => event.revision)).toEqual(revisions);
      expectStrictlyIncreasing(forwards.map((event) => event.position));
      const backwards = await store().readStream(long, { direction: 'backwards', maxCount: 3 });
      expect(backwards.map((event) => event.revision)).toEqual([11n, 10n, 9n]);
    });

    it('returns an empty array for a stream that does not exist', async () => {
      const missing = uniqueName('never-written');
      expect(await store().readStream(missing)).toEqual([]);
      expect(await store().readStream(missing, { direction: 'backwards' })).toEqual([]);
    });

    it('round-trips data and metadata exactly', async () => {
      const roundTrip = uniqueName('round-trip');
      const data = {
        amount: '123456789012345678901234567890',
        negative: '-9223372036854775809',
        nested: { deep: { list: [1, 'two', { three: 3 }, null, true, false] } },
        unicode: 'zażółć gęślą jaźń · 日本語 · עברית · 👩‍💻🚀 · e\u0301',
        escapes: 'quote " backslash \\ newline \n tab \t',
        empty: { object: {}, array: [], string: '' },
        numbers: { zero: 0, half: 0.5, negative: -42, safe: Number.MAX_SAFE_INTEGER },
      };
      const metadata = {
        correlationId: uniqueName('correlation'),
        causationId: uniqueName('causation'),
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'key with spaces and ünïcode': 'ok',
      };
      const withMetadata = newEvent('Described', data, metadata);
      const withoutMetadata = newEvent('Bare', { ok: true });
      const before = Date.now();
      await store().append(roundTrip, [withMetadata, withoutMetadata], 'no_stream');

      const [first, second] = await store().readStream(roundTrip);
      expect(first?.data).toEqual(data);
      expect(first?.metadata).toEqual(metadata);
      expect(first?.type).toBe('Described');
      expect(first?.eventId).toBe(withMetadata.eventId);
      expect(second?.metadata).toEqual({});
      expect(typeof first?.revision).toBe('bigint');
      expect(typeof first?.position).toBe('bigint');
      expect(first?.recordedAt).toBeInstanceOf(Date);
      // Generous: the server's clock may differ from this machine's.
      const skewMs = Math.abs((first?.recordedAt.getTime() ?? 0) - before);
      expect(skewMs).toBeLessThan(5 * 60_000);
    });
  });
}
