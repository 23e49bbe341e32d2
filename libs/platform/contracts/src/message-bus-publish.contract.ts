import { NoStreamForSubjectError } from '@burndown/ports';
import { freshStream, type BusAccess } from './message-bus-fixtures';
import { uniqueName } from './store-contract-support';

/** Streams, publish acknowledgements, msg-id dedupe and browsing. */
export function describePublishContract(bus: BusAccess): void {
  describe('publish', () => {
    it('stores messages in order and acknowledges each with its sequence', async () => {
      const stream = await freshStream(bus(), 'publish');
      const first = await bus().publish(`${stream.prefix}.a`, { n: 1 }, { msgId: 'm-1' });
      const second = await bus().publish(
        `${stream.prefix}.b`,
        { n: 2 },
        { msgId: 'm-2', headers: { trace: 't' } },
      );
      expect(first).toEqual({ stream: stream.name, sequence: first.sequence, duplicate: false });
      expect(second.sequence > first.sequence).toBe(true);

      const stored = await bus().browse(stream.name, { limit: 10 });
      expect(stored.map((m) => [m.subject, m.msgId, m.payload])).toEqual([
        [`${stream.prefix}.a`, 'm-1', { n: 1 }],
        [`${stream.prefix}.b`, 'm-2', { n: 2 }],
      ]);
      expect(stored[1]?.headers).toMatchObject({ trace: 't' });
      expect(stored.map((m) => m.sequence)).toEqual([first.sequence, second.sequence]);
    });

    it('acknowledges a repeated msg id as a duplicate of the stored copy and stores it once', async () => {
      const stream = await freshStream(bus(), 'dedupe');
      const original = await bus().publish(`${stream.prefix}.x`, { v: 'first' }, { msgId: 'same' });
      const repeat = await bus().publish(`${stream.prefix}.x`, { v: 'second' }, { msgId: 'same' });
      expect(repeat).toEqual({ stream: stream.name, sequence: original.sequence, duplicate: true });
      const stored = await bus().browse(stream.name, { limit: 10 });
      expect(stored.map((m) => m.payload)).toEqual([{ v: 'first' }]);
    });

    it('stores each msg id once when many publishes, repeats among them, arrive at the same time', async () => {
      const stream = await freshStream(bus(), 'together');
      const ids = Array.from({ length: 60 }, (_, n) => `id-${n % 40}`);
      const acks = await Promise.all(
        ids.map((msgId, n) => bus().publish(`${stream.prefix}.x`, { n }, { msgId })),
      );
      expect(acks.filter((ack) => !ack.duplicate)).toHaveLength(40);
      for (const [index, ack] of acks.entries()) {
        const first = acks[ids.indexOf(ids[index] as string)];
        expect(ack.sequence).toBe(first?.sequence);
      }
      const stored = await bus().browse(stream.name, { limit: 100 });
      expect(stored.map((m) => m.msgId)).toEqual(Array.from({ length: 40 }, (_, n) => `id-${n}`));
      expect(stored.map((m) => m.payload)).toEqual(Array.from({ length: 40 }, (_, n) => ({ n })));
    });

    it('refuses a subject that no stream captures', async () => {
      await expect(
        bus().publish('nowhere-captured.x', {}, { msgId: 'lost' }),
      ).rejects.toBeInstanceOf(NoStreamForSubjectError);
    });

    it('keeps ensureStream idempotent: a second call loses no message and creates nothing', async () => {
      const prefix = uniqueName('ensure').replace(/[^A-Za-z0-9_-]/g, '_');
      const config = { name: prefix, subjects: [`${prefix}.>`], duplicateWindowMs: 60_000 };
      expect(await bus().ensureStream(config)).toEqual({ created: true });
      await bus().publish(`${prefix}.a`, 1, { msgId: 'kept' });
      expect(await bus().ensureStream(config)).toEqual({ created: false });
      expect(await bus().browse(prefix, { limit: 10 })).toHaveLength(1);
    });
  });

  describe('browse', () => {
    it('pages after a sequence, honours the limit and filters by subject', async () => {
      const stream = await freshStream(bus(), 'browse');
      for (let i = 1; i <= 5; i++) {
        await bus().publish(`${stream.prefix}.${i % 2 === 0 ? 'even' : 'odd'}`, i, {
          msgId: `b-${i}`,
        });
      }
      const firstPage = await bus().browse(stream.name, { limit: 2 });
      expect(firstPage.map((m) => m.payload)).toEqual([1, 2]);
      const nextPage = await bus().browse(stream.name, {
        limit: 10,
        afterSequence: firstPage[1]?.sequence,
      });
      expect(nextPage.map((m) => m.payload)).toEqual([3, 4, 5]);
      const odd = await bus().browse(stream.name, {
        limit: 2,
        filterSubject: `${stream.prefix}.odd`,
      });
      expect(odd.map((m) => m.payload)).toEqual([1, 3]);
    });
  });
}
