import { Worker } from 'node:worker_threads';

/** What one checkpoint pass found: frames in the log, and how many of them are now in the database file. */
export interface CheckpointResult {
  readonly logFrames: number;
  readonly checkpointedFrames: number;
}

/**
 * Copies the write-ahead log into the database file from a worker thread with its own connection
 * (SQLite's PASSIVE checkpoint never blocks the writer), so the main thread's COMMITs only append
 * to the log. Left to SQLite, the committing connection would checkpoint, with its writes and
 * fsyncs, inside a COMMIT on the event loop every 1,000 pages.
 */
export class WalCheckpointer {
  private readonly waiting: ((result: CheckpointResult | 'closed') => void)[] = [];

  private constructor(private readonly worker: Worker) {
    worker.on('message', (result: CheckpointResult | 'closed') => this.waiting.shift()?.(result));
  }

  /** `fsync`: false only under sync mode `off`, where checkpoints do not fsync either. */
  static start(databaseFile: string, fsync: boolean): WalCheckpointer {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { databaseFile, synchronous: fsync ? 'NORMAL' : 'OFF' },
    });
    // A failed checkpoint only lets the log grow; the next pass retries. Never keeps the process alive.
    worker.on('error', (error) =>
      console.error('embedded store: WAL checkpoint thread failed', error),
    );
    worker.unref();
    return new WalCheckpointer(worker);
  }

  /** One PASSIVE checkpoint pass in the worker. */
  checkpoint(): Promise<CheckpointResult> {
    return new Promise((resolve) => {
      this.waiting.push((result) =>
        resolve(result === 'closed' ? { logFrames: -1, checkpointedFrames: -1 } : result),
      );
      this.worker.postMessage('checkpoint');
    });
  }

  /** Closes the worker's connection (after any pass under way), then ends the thread. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.waiting.push(() => resolve());
      this.worker.postMessage('close');
    });
    await Promise.race([
      closed,
      new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
    ]);
    await this.worker.terminate();
    for (const resolve of this.waiting.splice(0)) resolve('closed');
  }
}

/** A worker that does not confirm its close in this long is ended anyway. */
const CLOSE_TIMEOUT_MS = 2_000;

// Plain CommonJS run by the worker (eval): no build step, no path to resolve from dist or jest.
const WORKER_SOURCE = `
const { DatabaseSync } = require('node:sqlite');
const { parentPort, workerData } = require('node:worker_threads');
const db = new DatabaseSync(workerData.databaseFile);
db.exec('PRAGMA busy_timeout = 1000; PRAGMA synchronous = ' + workerData.synchronous);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.postMessage('closed');
    return;
  }
  try {
    const row = checkpoint.get();
    parentPort.postMessage({ logFrames: row.log, checkpointedFrames: row.checkpointed });
  } catch (error) {
    console.error('embedded store: WAL checkpoint failed, retrying', error);
    parentPort.postMessage({ logFrames: -1, checkpointedFrames: -1 });
  }
});
`;
