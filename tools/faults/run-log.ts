import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '../distributed/services';

export interface ServiceLogCounts {
  lines: number;
  stderr: number;
  /** Lines that say ERROR, WARN, failed or exception: where to start reading after a bad audit. */
  troubled: number;
}

/**
 * The run directory's logs: every service line (services.log), the harness's own nats-server
 * (nats-server.log) and the harness's progress (harness.log, also on the console). The audit
 * points into them when it finds something.
 */
export class RunLog {
  readonly counts = new Map<ServiceName, ServiceLogCounts>();
  private readonly services: WriteStream;
  private readonly natsServer: WriteStream;
  private readonly harnessLog: WriteStream;
  /** Progress lines say `t+12.3s`: seconds since the load started. */
  loadStartedAt: number | undefined;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.services = createWriteStream(join(dir, 'services.log'));
    this.natsServer = createWriteStream(join(dir, 'nats-server.log'));
    this.harnessLog = createWriteStream(join(dir, 'harness.log'));
  }

  service(name: ServiceName, line: string, stream: 'stdout' | 'stderr'): void {
    const counts = this.counts.get(name) ?? { lines: 0, stderr: 0, troubled: 0 };
    counts.lines++;
    if (stream === 'stderr') counts.stderr++;
    if (/\b(ERROR|WARN|failed|exception)\b/i.test(line)) counts.troubled++;
    this.counts.set(name, counts);
    this.services.write(
      `${new Date().toISOString()} [${name}]${stream === 'stderr' ? ' (stderr)' : ''} ${line}\n`,
    );
  }

  nats(line: string): void {
    this.natsServer.write(`${new Date().toISOString()} ${line}\n`);
  }

  harness(line: string): void {
    const stamped = `${this.clock()} ${line}`;
    console.log(stamped);
    this.harnessLog.write(`${new Date().toISOString()} ${stamped}\n`);
  }

  /** `t+12.3s` once the load runs; the wall clock before. */
  clock(at = Date.now()): string {
    return this.loadStartedAt === undefined
      ? `[${new Date(at).toISOString().slice(11, 19)}]`
      : `[${relative(at, this.loadStartedAt)}]`;
  }

  async close(): Promise<void> {
    await Promise.all(
      [this.services, this.natsServer, this.harnessLog].map(
        (stream) => new Promise<void>((done) => stream.end(done)),
      ),
    );
  }
}

export const relative = (at: number, since: number): string =>
  `t+${((at - since) / 1000).toFixed(1)}s`;
