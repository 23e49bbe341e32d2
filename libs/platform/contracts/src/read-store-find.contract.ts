import type { FindQuery, JsonObject, ReadStore, StoredDocument } from '@burndown/ports';
import { uniqueName } from './store-contract-support';

/** More pages than this means the cursor does not advance. */
const MAX_PAGES = 100;

interface Listing {
  readonly ids: string[];
  readonly pageSizes: number[];
}

/** find: equality filters, id order, limits and cursors. */
export function describeFindContract(store: () => ReadStore): void {
  describe('find', () => {
    const collection = uniqueName('rm-find');
    const documents = new Map<string, JsonObject>();

    beforeAll(async () => {
      for (let i = 0; i < 24; i++) {
        documents.set(`doc-${String(i).padStart(3, '0')}`, {
          kind: i % 2 === 0 ? 'even' : 'odd',
          n: i % 4,
          flag: i % 3 === 0,
          label: `label ${i}`,
        });
      }
      // Same values as strings: an equality filter must not match across types.
      documents.set('str-1', { kind: 'even', n: '1', flag: 'true' });
      await store().apply({
        writes: [...documents].map(([id, document]) => ({ collection, id, version: 1n, document })),
      });
      await store().apply({
        writes: [
          {
            collection: uniqueName('rm-decoy'),
            id: 'doc-000',
            version: 1n,
            document: { kind: 'even' },
          },
        ],
      });
    });

    /** Every page of a query, following nextCursor until it is absent. */
    const listAll = async (query: Omit<FindQuery, 'after'>): Promise<Listing> => {
      const ids: string[] = [];
      const pageSizes: number[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < MAX_PAGES; pages++) {
        const page = await store().find(
          collection,
          after === undefined ? query : { ...query, after },
        );
        expect(page.items.length).toBeLessThanOrEqual(query.limit);
        ids.push(...page.items.map((item) => item.id));
        pageSizes.push(page.items.length);
        if (page.nextCursor === undefined) return { ids, pageSizes };
        after = page.nextCursor;
      }
      throw new Error(`more than ${MAX_PAGES} pages: the cursor does not advance`);
    };
    const idsWhere = (keep: (document: JsonObject) => boolean): string[] =>
      [...documents]
        .filter(([, document]) => keep(document))
        .map(([id]) => id)
        .sort();

    it('pages through a filter exactly once, in id order', async () => {
      const odd = idsWhere((document) => document['kind'] === 'odd');
      expect(odd).toHaveLength(12);
      // 12 items in pages of 4: the third page is the last and says so (no empty fourth page).
      expect(await listAll({ where: { kind: 'odd' }, limit: 4 })).toEqual({
        ids: odd,
        pageSizes: [4, 4, 4],
      });
      const even = idsWhere((document) => document['kind'] === 'even');
      expect(await listAll({ where: { kind: 'even' }, limit: 5 })).toEqual({
        ids: even,
        pageSizes: [5, 5, 3],
      });
    });

    it('pages in descending id order', async () => {
      const odd = idsWhere((document) => document['kind'] === 'odd').reverse();
      expect(await listAll({ where: { kind: 'odd' }, limit: 5, order: 'desc' })).toEqual({
        ids: odd,
        pageSizes: [5, 5, 2],
      });
    });

    it('lists a whole collection without a filter, whatever the page size', async () => {
      const all = [...documents.keys()].sort();
      for (const limit of [1, 7, 25, 100]) {
        expect((await listAll({ limit })).ids).toEqual(all);
      }
      const single = await store().find(collection, { limit: 100 });
      expect(single.nextCursor).toBeUndefined();
    });

    it('matches numbers, booleans and strings by type and value', async () => {
      expect((await listAll({ where: { n: 1 }, limit: 50 })).ids).toEqual(
        idsWhere((document) => document['n'] === 1),
      );
      expect((await listAll({ where: { n: '1' }, limit: 50 })).ids).toEqual(['str-1']);
      expect((await listAll({ where: { flag: true }, limit: 50 })).ids).toEqual(
        idsWhere((document) => document['flag'] === true),
      );
      expect((await listAll({ where: { flag: true, kind: 'even' }, limit: 50 })).ids).toEqual([
        'doc-000',
        'doc-006',
        'doc-012',
        'doc-018',
      ]);
      expect((await listAll({ where: { label: 'label 7' }, limit: 50 })).ids).toEqual(['doc-007']);
    });

    it('finds the same documents once indexes are declared, and declaring again changes nothing', async () => {
      const before = await listAll({ where: { flag: true, kind: 'even' }, limit: 50 });
      await store().declareIndexes(collection, [['flag', 'kind'], ['label']]);
      await store().declareIndexes(collection, [['flag', 'kind'], ['label']]);
      expect((await listAll({ where: { flag: true, kind: 'even' }, limit: 50 })).ids).toEqual(
        before.ids,
      );
      expect((await listAll({ where: { label: 'label 7' }, limit: 50 })).ids).toEqual(['doc-007']);
    });

    it('returns an empty last page for no match and for an unknown collection', async () => {
      const none = await store().find(collection, { where: { missing: 'x' }, limit: 10 });
      expect(none.items).toEqual([]);
      expect(none.nextCursor).toBeUndefined();
      const unknown = await store().find(uniqueName('rm-empty'), { limit: 10 });
      expect(unknown).toEqual({ items: [] });
    });

    it('returns the stored version and document with each item', async () => {
      const page = await store().find(collection, { where: { label: 'label 3' }, limit: 10 });
      const expected: StoredDocument = {
        id: 'doc-003',
        version: 1n,
        document: documents.get('doc-003') ?? {},
      };
      expect(page.items).toEqual([expected]);
    });
  });
}
