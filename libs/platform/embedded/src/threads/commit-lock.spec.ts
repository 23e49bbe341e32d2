import { CommitLock } from './commit-lock';

describe('CommitLock', () => {
  it('lets one holder in at a time over one shared buffer, as two threads would share it', async () => {
    const first = new CommitLock();
    const second = new CommitLock(first.buffer);
    expect(first.tryLock()).toBe(true);
    expect(second.tryLock()).toBe(false);
    let secondHolds = false;
    const waiting = second.lock().then(() => (secondHolds = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(secondHolds).toBe(false);
    first.unlock();
    await waiting;
    expect(secondHolds).toBe(true);
    expect(first.tryLock()).toBe(false);
    second.unlock();
    expect(first.tryLock()).toBe(true);
    first.unlock();
  });

  it('keeps everyone out while holdWhile runs, and lets go when its work fails', async () => {
    const lock = new CommitLock();
    const other = new CommitLock(lock.buffer);
    let release: () => void = () => undefined;
    const held = lock.holdWhile(() => new Promise<void>((resolve) => (release = resolve)));
    await Promise.resolve();
    expect(other.tryLock()).toBe(false);
    release();
    await held;
    expect(other.tryLock()).toBe(true);
    other.unlock();
    await expect(
      lock.holdWhile(() => Promise.reject(new Error('checkpoint failed'))),
    ).rejects.toThrow('checkpoint failed');
    expect(other.tryLock()).toBe(true);
    other.unlock();
  });

  it('counts the commits of every holder of the buffer until taken', () => {
    const lock = new CommitLock();
    const other = new CommitLock(lock.buffer);
    lock.countCommit();
    other.countCommit();
    other.countCommit();
    expect(lock.takeCommitCount()).toBe(3);
    expect(lock.takeCommitCount()).toBe(0);
  });

  it('refuses a buffer too small to hold its cells', () => {
    expect(() => new CommitLock(new SharedArrayBuffer(4))).toThrow(RangeError);
  });
});
