import { GroupCommit } from './group-commit';

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('GroupCommit', () => {
  it('flushes what is added in one turn as one group, and what arrives during a flush as the next', async () => {
    const flushed: number[][] = [];
    const group = new GroupCommit<number>(async (items) => {
      flushed.push([...items]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    const first = [0, 1, 2, 3, 4].map((n) => group.add(n));
    await nextTurn();
    const second = [5, 6, 7, 8, 9].map((n) => group.add(n));
    await Promise.all([...first, ...second]);
    expect(flushed).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
  });

  it('rejects the callers of a failed flush only, and goes on with the next group', async () => {
    const flushes: string[][] = [];
    const group = new GroupCommit<string>(async (items) => {
      flushes.push([...items]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (items.includes('bad')) throw new Error('write failed');
    });
    const failed = group.add('bad');
    await nextTurn();
    const later = [group.add('a'), group.add('b')];
    await expect(failed).rejects.toThrow('write failed');
    await expect(Promise.all(later)).resolves.toEqual([undefined, undefined]);
    expect(flushes).toEqual([['bad'], ['a', 'b']]);
  });

  it('caps a group at its maximum size', async () => {
    const sizes: number[] = [];
    const group = new GroupCommit<number>(async (items) => void sizes.push(items.length), 3);
    await Promise.all(Array.from({ length: 8 }, (_, n) => group.add(n)));
    expect(sizes).toEqual([3, 3, 2]);
  });
});
