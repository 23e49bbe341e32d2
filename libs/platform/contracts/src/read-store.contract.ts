import type { FindQuery, ReadStore } from '@burndown/ports';
import { describeFindContract } from './read-store-find.contract';
import {
  describeAdapterContract,
  uniqueName,
  type AdapterUnderTest,
} from './store-contract-support';

export type ReadStoreUnderTest = AdapterUnderTest<ReadStore>;

/**
 * The behaviour every ReadStore adapter must show (DESIGN.md §3, §5). The factory runs once; each
 * test uses its own random collections and checkpoint names, so the suite also runs against a
 * shared server.
 */
export function describeReadStoreContract(
  adapterName: string,
  factory: () => Promise<ReadStoreUnderTest>,
): void {
  describeAdapterContract(`ReadStore contract: ${adapterName}`, factory, (store) => {
    describe('apply and get', () => {
      it('inserts documents and returns them with their versions', async () => {
        const collection = uniqueName('rm-insert');
        const applied = await store().apply({
          writes: [
            { collection, id: 'a', version: 1n, document: { name: 'first' } },
            { collection, id: 'b', version: 3n, document: { name: 'second' } },
          ],
        });
        expect(applied).toEqual({ applied: 2 });
        expect(await store().get(collection, 'a')).toEqual({
          id: 'a',
          version: 1n,
          document: { name: 'first' },
        });
        expect((await store().get(collection, 'b'))?.version).toBe(3n);
      });

      it('round-trips documents exactly, and versions beyond 2^53', async () => {
        const collection = uniqueName('rm-round-trip');
        const document = {
          balance: '123456789012345678901234567890',
          nested: { list: [1, 'two', { three: 3 }, null, true, false], empty: {} },
          unicode: 'zażółć gęślą jaźń · 日本語 · 👩‍💻 · e\u0301',
          escapes: 'quote " backslash \\ newline \n',
          half: 0.5,
        };
        const version = 2n ** 53n + 1n;
        await store().apply({ writes: [{ collection, id: 'doc', version, document }] });
        expect(await store().get(collection, 'doc')).toEqual({ id: 'doc', version, document });

        const next = await store().apply({
          writes: [{ collection, id: 'doc', version: version + 1n, document: { newer: true } }],
        });
        expect(next.applied).toBe(1);
        expect((await store().get(collection, 'doc'))?.version).toBe(version + 1n);
      });

      it('ignores a write whose version is not greater than the stored one', async () => {
        const collection = uniqueName('rm-versions');
        const write = (version: bigint, label: string) =>
          store().apply({ writes: [{ collection, id: 'x', version, document: { label } }] });

        expect((await write(2n, 'v2')).applied).toBe(1);
        expect((await write(2n, 'same version')).applied).toBe(0);
        expect((await write(1n, 'older')).applied).toBe(0);
        expect(await store().get(collection, 'x')).toEqual({
          id: 'x',
          version: 2n,
          document: { label: 'v2' },
        });
        expect((await write(3n, 'v3')).applied).toBe(1);
        expect((await store().get(collection, 'x'))?.document).toEqual({ label: 'v3' });
      });

      it('counts only the writes that landed in a mixed batch', async () => {
        const collection = uniqueName('rm-mixed');
        await store().apply({
          writes: [{ collection, id: 'old', version: 5n, document: { v: 5 } }],
        });
        const result = await store().apply({
          writes: [
            { collection, id: 'old', version: 4n, document: { v: 4 } },
            { collection, id: 'new', version: 0n, document: { v: 0 } },
            { collection, id: 'old', version: 6n, document: { v: 6 } },
          ],
        });
        expect(result.applied).toBe(2);
        expect((await store().get(collection, 'old'))?.document).toEqual({ v: 6 });
        expect((await store().get(collection, 'new'))?.version).toBe(0n);
      });

      it('leaves the same documents and checkpoint when a batch is applied twice', async () => {
        const collection = uniqueName('rm-replay');
        const checkpoint = uniqueName('cp-replay');
        const batch = {
          writes: [
            { collection, id: 'p', version: 1n, document: { step: 1 } },
            { collection, id: 'p', version: 2n, document: { step: 2 } },
            { collection, id: 'q', version: 1n, document: { step: 1 } },
          ],
          checkpoint: { name: checkpoint, position: 7n },
        };
        const snapshot = async () => ({
          p: await store().get(collection, 'p'),
          q: await store().get(collection, 'q'),
          checkpoint: await store().checkpoint(checkpoint),
        });

        expect((await store().apply(batch)).applied).toBe(3);
        const afterFirst = await snapshot();
        expect(afterFirst.p).toEqual({ id: 'p', version: 2n, document: { step: 2 } });
        expect(afterFirst.checkpoint).toBe(7n);

        expect((await store().apply(batch)).applied).toBe(0);
        expect(await snapshot()).toEqual(afterFirst);
      });

      it('returns undefined for a missing id and keeps collections apart', async () => {
        const [left, right] = [uniqueName('rm-left'), uniqueName('rm-right')];
        expect(await store().get(left, 'nobody')).toBeUndefined();
        await store().apply({
          writes: [
            { collection: left, id: 'same', version: 1n, document: { side: 'left' } },
            { collection: right, id: 'same', version: 9n, document: { side: 'right' } },
          ],
        });
        expect((await store().get(left, 'same'))?.document).toEqual({ side: 'left' });
        expect((await store().get(right, 'same'))?.version).toBe(9n);
      });
    });

    describe('checkpoints', () => {
      it('is undefined until set, moves with the writes, and never moves backwards', async () => {
        const collection = uniqueName('rm-checkpoint');
        const name = uniqueName('cp');
        expect(await store().checkpoint(name)).toBeUndefined();

        await store().apply({ writes: [], checkpoint: { name, position: 10n } });
        expect(await store().checkpoint(name)).toBe(10n);

        const behind = await store().apply({
          writes: [{ collection, id: 'w', version: 1n, document: {} }],
          checkpoint: { name, position: 5n },
        });
        expect(behind.applied).toBe(1);
        expect(await store().checkpoint(name)).toBe(10n);

        await store().apply({ writes: [], checkpoint: { name, position: 2n ** 60n } });
        expect(await store().checkpoint(name)).toBe(2n ** 60n);
      });

      it('keeps checkpoints apart by name', async () => {
        const [one, two] = [uniqueName('cp-one'), uniqueName('cp-two')];
        await store().apply({ writes: [], checkpoint: { name: one, position: 3n } });
        expect(await store().checkpoint(two)).toBeUndefined();
      });
    });

    describe('reset', () => {
      it('drops the named collections and checkpoint so a projection can rebuild', async () => {
        const [first, second, kept] = [
          uniqueName('rm-reset-1'),
          uniqueName('rm-reset-2'),
          uniqueName('rm-kept'),
        ];
        const [checkpoint, otherCheckpoint] = [uniqueName('cp-reset'), uniqueName('cp-kept')];
        await store().apply({
          writes: [first, second, kept].map((collection) => ({
            collection,
            id: 'doc',
            version: 4n,
            document: { collection },
          })),
          checkpoint: { name: checkpoint, position: 40n },
        });
        await store().apply({ writes: [], checkpoint: { name: otherCheckpoint, position: 41n } });

        await store().reset([first, second], checkpoint);

        const everything: FindQuery = { limit: 10 };
        expect(await store().get(first, 'doc')).toBeUndefined();
        expect((await store().find(second, everything)).items).toEqual([]);
        expect(await store().checkpoint(checkpoint)).toBeUndefined();
        expect((await store().get(kept, 'doc'))?.version).toBe(4n);
        expect(await store().checkpoint(otherCheckpoint)).toBe(41n);

        // A rebuild starts again from low versions and must land.
        const rebuilt = await store().apply({
          writes: [{ collection: first, id: 'doc', version: 0n, document: { rebuilt: true } }],
          checkpoint: { name: checkpoint, position: 1n },
        });
        expect(rebuilt.applied).toBe(1);
        expect(await store().checkpoint(checkpoint)).toBe(1n);
      });
    });

    describeFindContract(store);
  });
}
