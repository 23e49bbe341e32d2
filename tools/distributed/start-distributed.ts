import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateApiKey } from '@burndown/http';
import { DISTRIBUTED_SERVICES } from './services';

// npm run start:distributed: ingestion, rating, wallets, entitlements and invoicing as separate
// processes over NATS JetStream, each with its own data directory, all answering to one key.
const root = resolve(__dirname, '../../..');
const baseDir = resolve(process.env['BURNDOWN_DATA_DIR'] || '.burndown/distributed');
const basePort = Number(process.env['BURNDOWN_BASE_PORT'] || 0);
const natsUrl = process.env['BURNDOWN_NATS_URL'] || 'nats://127.0.0.1:4222';

interface Running {
  readonly name: string;
  readonly child: ChildProcess;
  url?: string;
}

function sharedKey(): string {
  const file = join(baseDir, 'dev-api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(baseDir, { recursive: true });
  const key = generateApiKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

function start(name: string, port: number, key: string): Running {
  const dataDir = join(baseDir, name);
  mkdirSync(dataDir, { recursive: true });
  // Each service adopts the shared key on its first start.
  if (!existsSync(join(dataDir, 'dev-api-key'))) writeFileSync(join(dataDir, 'dev-api-key'), `${key}\n`, { mode: 0o600 });
  const child = spawn(process.execPath, ['-r', join(root, 'tools/runtime/register-aliases.cjs'), join(root, `dist/apps/${name}/src/main.js`)], {
    cwd: root,
    env: { ...process.env, BURNDOWN_BUS: 'nats', BURNDOWN_NATS_URL: natsUrl, BURNDOWN_DATA_DIR: dataDir, BURNDOWN_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running: Running = { name, child };
  const prefix = `[${name.padEnd(12)}] `;
  const relay = (chunk: Buffer, stream: NodeJS.WriteStream) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      const listening = /listening on (http:\/\/\S+)/.exec(line);
      if (listening?.[1]) running.url = listening[1];
      if (!/development API key/.test(line)) stream.write(`${prefix}${line}\n`);
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => relay(chunk, process.stdout));
  child.stderr?.on('data', (chunk: Buffer) => relay(chunk, process.stderr));
  return running;
}

async function main(): Promise<void> {
  const key = sharedKey();
  const services = DISTRIBUTED_SERVICES.map(({ name, port }, index) => start(name, basePort === 0 ? port : basePort + index, key));
  let stopping = false;
  const exited = services.map(
    (service) =>
      new Promise<void>((done) =>
        service.child.once('exit', (code, signal) => {
          if (!stopping) console.error(`${service.name} exited (${signal ?? `code ${code}`}); the others keep running`);
          done();
        }),
      ),
  );
  const deadline = Date.now() + 60_000;
  while (services.some((service) => service.url === undefined && service.child.exitCode === null) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.log(`\nBurndown, distributed over NATS at ${natsUrl} (data in ${baseDir}):`);
  for (const service of services) {
    console.log(`  ${service.name.padEnd(12)} ${service.url ?? 'NOT STARTED'}   health: ${service.url ? `${service.url}/health` : '-'}`);
  }
  console.log(`  API key (all scopes, every service): ${key}\n  Ctrl-C stops them all, draining consumers first.\n`);

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping every service (each drains its consumers and flushes before it exits)`);
    for (const service of services) service.child.kill('SIGTERM');
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await Promise.all(exited);
}

main().catch((error: unknown) => {
  console.error(`start:distributed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
