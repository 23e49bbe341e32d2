import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';

export interface NatsServerOptions {
  readonly binary: string;
  /** 0: a free port, chosen once, so a restart comes back where the services reconnect to. */
  readonly port: number;
  /** JetStream's file store; kept across restarts, which is what a restart must survive. */
  readonly storeDir: string;
  readonly log: (line: string) => void;
  readonly readyTimeoutMs?: number;
}

/**
 * The harness's own nats-server with JetStream. The one on 127.0.0.1:4222 belongs to the test
 * suites of everyone working on this machine, so the harness never signals it: it starts this
 * one on another port and kills and restarts only this one.
 */
export class NatsServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: NatsServerOptions,
    readonly port: number,
  ) {}

  static async start(options: NatsServerOptions): Promise<NatsServerProcess> {
    const server = new NatsServerProcess(
      options,
      options.port === 0 ? await freePort() : options.port,
    );
    await server.start();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server on its port and store; resolves once it logs that it is ready. */
  async start(): Promise<void> {
    if (
      this.child !== undefined &&
      this.child.exitCode === null &&
      this.child.signalCode === null
    ) {
      throw new Error(
        `nats-server on port ${this.port} is already running (pid ${this.child.pid})`,
      );
    }
    mkdirSync(this.options.storeDir, { recursive: true });
    const child = spawn(
      this.options.binary,
      ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.options.storeDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.exited = new Promise<void>((done) => child.once('exit', () => done()));
    const timeoutMs = this.options.readyTimeoutMs ?? 30_000;
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`nats-server on port ${this.port} was not ready in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const relay = (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          if (line.trim() === '') continue;
          this.options.log(line);
          // Logged after JetStream has recovered its streams from the store directory.
          if (/Server is ready/.test(line)) {
            clearTimeout(timer);
            ready();
          }
        }
      };
      child.stdout?.on('data', relay);
      child.stderr?.on('data', relay);
      child.once('error', (error) => {
        clearTimeout(timer);
        fail(new Error(`cannot start ${this.options.binary}: ${error.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(
          new Error(
            `nats-server on port ${this.port} exited (${signal ?? `code ${code}`}) before it was ready`,
          ),
        );
      });
    });
  }

  /** Sends the signal to this server only and waits until the process is gone. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null)
      child.kill(signal);
    await this.exited;
  }
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}
