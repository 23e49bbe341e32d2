import { resolve } from 'node:path';
import { DistributedTopology } from './topology';

// npm run start:distributed: ingestion, rating, wallets, entitlements and invoicing as separate
// processes over NATS JetStream, each with its own data directory, all answering to one key.
const baseDir = resolve(process.env['BURNDOWN_DATA_DIR'] || '.burndown/distributed');
const basePort = Number(process.env['BURNDOWN_BASE_PORT'] || 8081);
// The gateway sits just below the services: 8080 by default, the embedded app's port, so the
// README's walkthrough works against either mode.
const gatewayPort = basePort === 0 ? 0 : basePort - 1;
const natsUrl = process.env['BURNDOWN_NATS_URL'] || 'nats://127.0.0.1:4222';

async function main(): Promise<void> {
  const topology = await DistributedTopology.start({
    baseDir,
    basePort,
    gatewayPort,
    natsUrl,
    log: (service, line, stream) =>
      (stream === 'stdout' ? process.stdout : process.stderr).write(
        `[${service.padEnd(12)}] ${line}\n`,
      ),
  });
  console.log(`\nBurndown, distributed over NATS at ${natsUrl} (data in ${baseDir}):`);
  console.log(
    `  ${'gateway'.padEnd(12)} ${topology.gatewayUrl}   every route; health of all: ${topology.gatewayUrl}/health`,
  );
  for (const [name, url] of Object.entries(topology.urls())) {
    console.log(`  ${name.padEnd(12)} ${url}   health: ${url}/health`);
  }
  console.log(
    `  API key (all scopes, every service): ${topology.apiKey}\n  Ctrl-C stops them all, draining consumers first.\n`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(
      `\n${signal}: stopping every service (each drains its consumers and flushes before it exits)`,
    );
    void topology.stop();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await topology.exited();
  // Every service is gone (stopped, or died): nothing is left for the gateway to route to.
  await topology.stop();
}

main().catch((error: unknown) => {
  console.error(
    `start:distributed failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
