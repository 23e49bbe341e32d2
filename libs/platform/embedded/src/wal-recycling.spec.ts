import type { CheckpointResult, WalCheckpointer } from './wal-checkpointer';
import { WalRecycling } from './wal-recycling';

/** A checkpointer whose passes take a while, counting how many run at once. */
function slowCheckpointer(): WalCheckpointer & {
  running: number;
  mostAtOnce: number;
  passes: number;
} {
  const fake = {
    running: 0,
    mostAtOnce: 0,
    passes: 0,
    async checkpoint(): Promise<CheckpointResult> {
      fake.running++;
      fake.passes++;
      fake.mostAtOnce = Math.max(fake.mostAtOnce, fake.running);
      await new Promise((resolve) => setTimeout(resolve, 400));
      fake.running--;
      return { logFrames: 100_000, checkpointedFrames: 10 };
    },
    async stop(): Promise<void> {},
  };
  return fake as unknown as WalCheckpointer & typeof fake;
}

describe('WalRecycling', () => {
  it('starts the checkpoint thread once writes are busy, and runs one pass at a time however many commits arrive during one', async () => {
    const checkpointer = slowCheckpointer();
    const autoCheckpoint: number[] = [];
    let started = 0;
    const recycling = new WalRecycling({
      startCheckpointer: () => {
        started++;
        return checkpointer;
      },
      setAutoCheckpoint: (pages) => autoCheckpoint.push(pages),
      holdCommits: (work) => work(),
      commitsElsewhere: () => 0,
    });
    const until = Date.now() + 2_000;
    while (Date.now() < until) {
      for (let commit = 0; commit < 10; commit++) recycling.noteCommit();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await recycling.stop();
    expect(started).toBe(1);
    expect(autoCheckpoint).toEqual([0]);
    expect(checkpointer.passes).toBeGreaterThanOrEqual(2);
    expect(checkpointer.mostAtOnce).toBe(1);
  }, 10_000);
});

describe('WalRecycling with another thread writing', () => {
  it("counts the other thread's commits when deciding the store is busy", async () => {
    const checkpointer = slowCheckpointer();
    let started = 0;
    let elsewhere = 0;
    const recycling = new WalRecycling({
      startCheckpointer: () => {
        started++;
        return checkpointer;
      },
      setAutoCheckpoint: () => undefined,
      holdCommits: (work) => work(),
      commitsElsewhere: () => {
        const counted = elsewhere;
        elsewhere = 0;
        return counted;
      },
    });
    // One commit here starts the chain of passes; the rest of the load is the other thread's.
    recycling.noteCommit();
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      elsewhere += 10;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await recycling.stop();
    expect(started).toBe(1);
  }, 10_000);
});

describe('WalRecycling finishing the log with commits held', () => {
  /** Busy commits for a second against a log of `logFrames` frames, all copied by each pass. */
  async function holdsWithLogOf(logFrames: number): Promise<number> {
    let holds = 0;
    const checkpointer = {
      checkpoint: async (): Promise<CheckpointResult> => ({
        logFrames,
        checkpointedFrames: logFrames,
      }),
      stop: async () => undefined,
    } as unknown as WalCheckpointer;
    const recycling = new WalRecycling({
      startCheckpointer: () => checkpointer,
      setAutoCheckpoint: () => undefined,
      holdCommits: (work) => {
        holds++;
        return work();
      },
      commitsElsewhere: () => 0,
    });
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      for (let commit = 0; commit < 10; commit++) recycling.noteCommit();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await recycling.stop();
    return holds;
  }

  it('lets a short log run on beside the commits: a held pass costs its fsyncs however little it copies', async () => {
    expect(await holdsWithLogOf(2_000)).toBe(0);
  }, 10_000);

  it('holds the commits to finish a long log, so the next write starts it again', async () => {
    expect(await holdsWithLogOf(20_000)).toBeGreaterThanOrEqual(1);
  }, 10_000);
});
