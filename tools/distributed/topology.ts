import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { HttpGateway, generateApiKey } from '@burndown/http';
import { GATEWAY_ROUTES } from './routes';
import { DISTRIBUTED_SERVICES, type ServiceName } from './services';

// Compiled this file runs from dist/tools/distributed; under jest, from tools/distributed.
const ROOT =
  basename(resolve(__dirname, '../..')) === 'dist'
    ? resolve(__dirname, '../../..')
    : resolve(__dirname, '../..');

export interface TopologyOptions {
  /** Each service gets `<baseDir>/<service>` as its data directory. */
  readonly baseDir: string;
  readonly natsUrl: string;
  /** First port; services take consecutive ones. 0: every service picks a free port. */
  readonly basePort?: number;
  /** The gateway's port, the one URL in front of every service. Default 0: a free port. */
  readonly gatewayPort?: number;
  /** Extra environment for every service (namespace, log level, partitions…). */
  readonly env?: Readonly<Record<string, string>>;
  /** Per-service environment on top of `env`. */
  readonly serviceEnv?: Partial<Record<ServiceName, Readonly<Record<string, string>>>>;
  /** Every line a service prints, prefixed with its name; silent when absent. */
  readonly log?: (service: ServiceName, line: string, stream: 'stdout' | 'stderr') => void;
  readonly startTimeoutMs?: number;
}

interface RunningService {
  readonly name: ServiceName;
  port: number;
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/**
 * The five services as separate processes of the compiled apps (`npm run build` first), over
 * NATS, all answering to one API key. Used by `npm run start:distributed`, the benchmarks and
 * the fault harness, which kills and restarts single services on the same port and data.
 */
export class DistributedTopology {
  private readonly services = new Map<ServiceName, RunningService>();
  private gateway: HttpGateway | undefined;

  private constructor(
    private readonly options: TopologyOptions,
    readonly apiKey: string,
  ) {}

  static async start(options: TopologyOptions): Promise<DistributedTopology> {
    const topology = new DistributedTopology(options, sharedKey(options.baseDir));
    const basePort = options.basePort ?? 0;
    try {
      await Promise.all(
        DISTRIBUTED_SERVICES.map(({ name }, index) =>
          topology.launch(name, basePort === 0 ? 0 : basePort + index),
        ),
      );
      topology.gateway = await HttpGateway.start({
        routes: GATEWAY_ROUTES,
        services: DISTRIBUTED_SERVICES.map(({ name }) => name),
        // Looked up per request: a restarted service is found again without restarting the gateway.
        upstream: (name) => topology.services.get(name)?.url,
        port: options.gatewayPort ?? 0,
      });
    } catch (error) {
      await topology.stop();
      throw error;
    }
    return topology;
  }

  url(name: ServiceName): string {
    return this.service(name).url;
  }

  /** One URL for the whole API: each request goes to the service that owns its path. */
  get gatewayUrl(): string {
    if (this.gateway === undefined) throw new Error('the gateway is not running');
    return this.gateway.url;
  }

  urls(): Record<ServiceName, string> {
    return Object.fromEntries(
      DISTRIBUTED_SERVICES.map(({ name }) => [name, this.url(name)]),
    ) as Record<ServiceName, string>;
  }

  pid(name: ServiceName): number | undefined {
    return this.service(name).child.pid;
  }

  /** Sends the signal and waits for the process to be gone. */
  async kill(name: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const service = this.service(name);
    if (service.child.exitCode === null && service.child.signalCode === null)
      service.child.kill(signal);
    await service.exited;
  }

  /** Starts a stopped (or killed) service again on its port and data directory. */
  async restart(name: ServiceName): Promise<void> {
    const service = this.service(name);
    await this.kill(name, 'SIGTERM');
    await this.launch(name, service.port);
  }

  /** SIGTERM to every service: each drains its consumers and flushes before it exits. Closes the gateway. */
  async stop(): Promise<void> {
    await this.gateway?.close();
    await Promise.all([...this.services.keys()].map((name) => this.kill(name, 'SIGTERM')));
  }

  /** Resolves when every service has exited, for whatever reason. */
  async exited(): Promise<void> {
    await Promise.all([...this.services.values()].map((service) => service.exited));
  }

  private service(name: ServiceName): RunningService {
    const service = this.services.get(name);
    if (service === undefined) throw new Error(`no service ${name} in this topology`);
    return service;
  }

  private async launch(name: ServiceName, port: number): Promise<void> {
    const dataDir = join(this.options.baseDir, name);
    mkdirSync(dataDir, { recursive: true });
    // Each service adopts the shared key on its first start.
    const keyFile = join(dataDir, 'dev-api-key');
    if (!existsSync(keyFile)) writeFileSync(keyFile, `${this.apiKey}\n`, { mode: 0o600 });
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(ROOT, 'tools/runtime/register-aliases.cjs'),
        join(ROOT, `dist/apps/${name}/src/main.js`),
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ...this.options.env,
          ...this.options.serviceEnv?.[name],
          BURNDOWN_BUS: 'nats',
          BURNDOWN_NATS_URL: this.options.natsUrl,
          BURNDOWN_DATA_DIR: dataDir,
          BURNDOWN_PORT: String(port),
          BURNDOWN_HOST: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    let output = '';
    const url = await new Promise<string>((done, fail) => {
      const timeoutMs = this.options.startTimeoutMs ?? 60_000;
      const timer = setTimeout(
        () => fail(new Error(`${name} did not start in ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const relay = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          if (line.trim() === '' || /development API key/.test(line)) continue;
          if (output.length < 20_000) output += `${line}\n`;
          this.options.log?.(name, line, stream);
          const listening = /listening on (http:\/\/\S+)/.exec(line);
          if (listening?.[1]) {
            clearTimeout(timer);
            done(listening[1]);
          }
        }
      };
      child.stdout?.on('data', relay('stdout'));
      child.stderr?.on('data', relay('stderr'));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(
          new Error(`${name} exited (${signal ?? `code ${code}`}) before listening:\n${output}`),
        );
      });
    });
    this.services.set(name, { name, port: Number(new URL(url).port), child, url, exited });
  }
}

/** One development key for every service, kept in the base directory across restarts. */
function sharedKey(baseDir: string): string {
  const file = join(baseDir, 'dev-api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(baseDir, { recursive: true });
  const key = generateApiKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
