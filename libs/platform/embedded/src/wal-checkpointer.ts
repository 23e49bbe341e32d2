import { Worker } from 'node:worker_threads';

/**
 * Copies the write-ahead log into the database file from a worker thread with its own connection
 * (SQLite's PASSIVE checkpoint never blocks the writer), so the main thread's COMMITs only append
 * to the log. Left to SQLite, the committing connection would checkpoint, with its writes and
 * fsyncs, inside a COMMIT on the event loop every 1,000 pages.
 */
export class WalCheckpointer {
  private constructor(private readonly worker: Worker) {}

  static start(databaseFile: string, intervalMs = CHECKPOINT_INTERVAL_MS): WalCheckpointer {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { databaseFile, intervalMs } });
    // A failed checkpoint only lets the log grow; the next one retries. Never keep the process alive.
    worker.on('error', (error) => console.error('embedded store: WAL checkpoint thread failed', error));
    worker.unref();
    return new WalCheckpointer(worker);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

const CHECKPOINT_INTERVAL_MS = 500;

// Plain CommonJS run by the worker (eval): no build step, no path to resolve from dist or jest.
const WORKER_SOURCE = `
const { DatabaseSync } = require('node:sqlite');
const { workerData } = require('node:worker_threads');
const db = new DatabaseSync(workerData.databaseFile);
db.exec('PRAGMA busy_timeout = 1000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
setInterval(() => {
  try { checkpoint.get(); } catch (error) { console.error('embedded store: WAL checkpoint failed, retrying', error); }
}, workerData.intervalMs);
`;
