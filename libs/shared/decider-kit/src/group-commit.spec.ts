import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('flushes what arrives during a flush as one group, in order, and settles each caller with it', async () => {
    const flushed: number[][] = [];
    const group = new GroupCommit<number>(async (items) => {
      flushed.push([...items]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    await Promise.all(Array.from({ length: 10 }, (_, n) => group.add(n)));
    expect(flushed).toEqual([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  });

  it('rejects the callers of a failed flush only, and goes on with the next group', async () => {
    let calls = 0;
    const group = new GroupCommit<string>(async (items) => {
      calls++;
      if (items.includes('bad')) throw new Error('write failed');
    });
    const first = group.add('bad');
    const later = [group.add('a'), group.add('b')];
    await expect(first).rejects.toThrow('write failed');
    await expect(Promise.all(later)).resolves.toEqual([undefined, undefined]);
    expect(calls).toBe(2);
  });

  it('caps a group at its maximum size', async () => {
    const sizes: number[] = [];
    const group = new GroupCommit<number>(async (items) => void sizes.push(items.length), 3);
    await Promise.all(Array.from({ length: 8 }, (_, n) => group.add(n)));
    expect(sizes).toEqual([1, 3, 3, 1]);
  });
});
