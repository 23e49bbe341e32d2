import { StreamCache } from './stream-cache';

const entry = (state: number) => ({
  state,
  tail: { revision: BigInt(state), metadata: {} },
  snapshotRevision: undefined,
});

describe('StreamCache', () => {
  it('evicts the least recently used stream, where a read counts as a use', () => {
    const cache = new StreamCache<number>(2);
    cache.set('a', entry(1));
    cache.set('b', entry(2));
    expect(cache.get('a')?.state).toBe(1);
    cache.set('c', entry(3));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.state).toBe(1);
    expect(cache.get('c')?.state).toBe(3);
  });

  it('keeps nothing with a capacity of 0, and forgets a deleted stream', () => {
    const none = new StreamCache<number>(0);
    none.set('a', entry(1));
    expect(none.get('a')).toBeUndefined();
    const cache = new StreamCache<number>(5);
    cache.set('a', entry(1));
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('peeks without counting it as a use', () => {
    const cache = new StreamCache<number>(2);
    cache.set('a', entry(1));
    cache.set('b', entry(2));
    expect(cache.peek('a')?.state).toBe(1);
    cache.set('c', entry(3));
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('b')?.state).toBe(2);
  });
});
