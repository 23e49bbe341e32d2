import { CommandLog } from './command-log';
import { inBatch } from './transient';

const HORIZON = 1_000;

const recordAll = (
  log: CommandLog,
  ids: readonly string[],
  atMs: (index: number) => number,
): CommandLog => ids.reduce((current, id, index) => current.record(id, atMs(index), HORIZON), log);

describe('CommandLog: the ids a wallet has seen within its dedupe horizon', () => {
  const ids = Array.from({ length: 5_000 }, (_, index) => `c${index}`);

  it('knows every id a batch recorded, though the batch only indexes them when asked', () => {
    const log = inBatch(() => recordAll(CommandLog.empty(), ids, () => 0));
    expect(ids.every((id) => log.has(id))).toBe(true);
    expect(log.has('never')).toBe(false);
    expect(log.entries()).toHaveLength(ids.length);
  });

  it('forgets ids older than the horizon, in a batch and one by one alike', () => {
    for (const fold of [
      (work: () => CommandLog) => inBatch(work),
      (work: () => CommandLog) => work(),
    ]) {
      const log = fold(() => recordAll(CommandLog.empty(), ids, (index) => index));
      // The last id was recorded at 4,999: ids before 3,999 are forgotten, the rest are not.
      expect(log.has('c3998')).toBe(false);
      expect(log.has('c3999')).toBe(true);
      expect(log.entries().map(([id]) => id)).toHaveLength(1_001);
    }
  });

  it('remembers an id from the last time it was recorded, and forgets it a horizon after that', () => {
    const log = inBatch(() =>
      CommandLog.empty()
        .record('a', 0, HORIZON)
        .record('a', 500, HORIZON)
        .record('b', 1_500, HORIZON)
        .record('a', 1_600, HORIZON),
    );
    expect(log.entries()).toEqual([
      ['a', 1_600],
      ['b', 1_500],
    ]);
    const later = log.record('c', 2_400, HORIZON);
    expect(later.has('b')).toBe(true);
    expect(later.record('d', 2_501 + HORIZON, HORIZON).has('b')).toBe(false);
  });

  it('leaves earlier logs as they were: recording returns a new log', () => {
    const first = inBatch(() => recordAll(CommandLog.empty(), ids, () => 0));
    const second = first.record('extra', 1, HORIZON);
    const third = inBatch(() => recordAll(second, ['in-batch-1', 'in-batch-2'], () => 2));
    expect([first.has('extra'), second.has('extra'), third.has('extra')]).toEqual([
      false,
      true,
      true,
    ]);
    expect([second.has('in-batch-1'), third.has('in-batch-1')]).toEqual([false, true]);
  });

  it('rebuilds from its entries', () => {
    const log = recordAll(CommandLog.empty(), ['x', 'y'], (index) => index * 10);
    expect(CommandLog.restore(log.entries()).entries()).toEqual(log.entries());
  });

  it('untracked: records nothing and refuses to be asked, so a projection’s state never decides', () => {
    const log = recordAll(CommandLog.untracked(), ids, () => 0);
    expect(log.weight).toBe(0);
    expect([log.tracked, CommandLog.empty().tracked]).toEqual([false, true]);
    expect(() => log.has('c1')).toThrow('must not decide');
    expect(() => log.entries()).toThrow('no entries');
  });
});
