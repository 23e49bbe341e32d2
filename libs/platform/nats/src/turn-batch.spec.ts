import { TurnBatch } from './turn-batch';

describe('TurnBatch', () => {
  it('runs everything added during one turn together on the next, in order, and starts a new batch after', async () => {
    const batches: number[][] = [];
    const batch = new TurnBatch<number>((items) => batches.push([...items]));
    batch.add(1);
    batch.add(2);
    await Promise.resolve();
    batch.add(3);
    expect(batches).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    batch.add(4);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });
});
