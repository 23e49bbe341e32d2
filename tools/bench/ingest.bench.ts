import { randomUUID } from 'node:crypto';
import { NatsBus } from '@burndown/nats';
import { loadConfig, startBurndown, type RunningBurndown } from '@burndown/runtime';
import { IngestionModule } from '@burndown/ingestion';
import { WalletsModule } from '@burndown/wallets';
import { EMBEDDED_SERVICES } from '../../apps/burndown/src/services';
import { formatRate, machineLine, median, verdict } from './bench-support';

// Issue 6: usage events per second from HTTP batches to durable acknowledgement (the 202), with
// the whole pipeline running behind it, on the embedded bus and on NATS JetStream, in one process.
const RUNS = 3;
const BATCH = 1_000;
const BATCHES_PER_RUN = 20;
const CONCURRENT_REQUESTS = 4;
const GOAL = 50_000;

interface Measured {
  readonly mode: string;
  readonly eventsPerRun: number;
  readonly medianMs: number;
  readonly eventsPerSecond: number;
}

async function post(burndown: RunningBurndown, path: string, body: unknown): Promise<Response> {
  return fetch(`${burndown.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${burndown.developmentKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

async function measure(
  mode: string,
  env: Record<string, string>,
  modules: Parameters<typeof startBurndown>[1]['modules'] = EMBEDDED_SERVICES,
): Promise<Measured> {
  const config = loadConfig({ BURNDOWN_PORT: '0', BURNDOWN_LOG_LEVEL: 'error', ...env });
  const burndown = await startBurndown(config, {
    serviceName: 'bench',
    modules,
    persistent: false,
  });
  try {
    await post(burndown, '/v1/customers', { id: 'bench', name: 'Bench' });
    await post(burndown, '/v1/wallets/bench/grants', {
      grantId: 'g',
      kind: 'purchased',
      amount: '1000000000000000000',
    });
    const times: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const batches = Array.from({ length: BATCHES_PER_RUN }, (_, b) => ({
        events: Array.from({ length: BATCH }, (_, e) => ({
          id: `${mode}-${run}-${b}-${e}-${randomUUID()}`,
          customerId: 'bench',
          type: 'llm.tokens',
          quantity: '1000',
        })),
      }));
      const started = process.hrtime.bigint();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENT_REQUESTS }, async () => {
          while (next < batches.length) {
            const batch = batches[next++];
            const response = await post(burndown, '/v1/events/batch', batch);
            const body = (await response.json()) as { accepted?: number };
            if (response.status !== 202 || body.accepted !== BATCH)
              throw new Error(
                `batch not fully accepted: ${response.status} ${JSON.stringify(body).slice(0, 200)}`,
              );
          }
        }),
      );
      // The first run warms up.
      if (run > 0) times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const events = BATCH * BATCHES_PER_RUN;
    return {
      mode,
      eventsPerRun: events,
      medianMs: median(times),
      eventsPerSecond: events / (median(times) / 1000),
    };
  } finally {
    await burndown.close();
  }
}

async function main(): Promise<void> {
  console.log(
    `ingest benchmark — ${machineLine()}; ${BATCHES_PER_RUN} batches of ${BATCH} events, ${CONCURRENT_REQUESTS} requests at a time, medians of ${RUNS} runs after a warm-up`,
  );
  const namespace = `bench_${randomUUID().slice(0, 8)}`;
  const natsUrl = process.env['BURNDOWN_NATS_URL'] || 'nats://127.0.0.1:4222';
  const results: Measured[] = [];
  try {
    const modes = (
      process.env['BENCH_MODES'] ?? 'nats-ingestion-only,embedded-ingestion-only,nats,embedded'
    ).split(',');
    for (const mode of modes) {
      // Ingestion alone (wallets only answers customer lookups): what the 202 path itself sustains.
      if (mode === 'nats-ingestion-only') {
        results.push(
          await measure(
            mode,
            {
              BURNDOWN_BUS: 'nats',
              BURNDOWN_NATS_URL: natsUrl,
              BURNDOWN_NATS_NAMESPACE: `${namespace}_i`,
            },
            [IngestionModule, WalletsModule],
          ),
        );
      }
      if (mode === 'embedded-ingestion-only')
        results.push(await measure(mode, {}, [IngestionModule, WalletsModule]));
      if (mode === 'nats')
        results.push(
          await measure('nats', {
            BURNDOWN_BUS: 'nats',
            BURNDOWN_NATS_URL: natsUrl,
            BURNDOWN_NATS_NAMESPACE: namespace,
          }),
        );
      if (mode === 'embedded') results.push(await measure('embedded', {}));
    }
  } finally {
    await NatsBus.removeNamespace(natsUrl, namespace).catch(() => undefined);
    await NatsBus.removeNamespace(natsUrl, `${namespace}_i`).catch(() => undefined);
  }
  for (const result of results) {
    console.log(
      `ingest (${result.mode.padEnd(8)}): ${result.eventsPerRun.toLocaleString('en-US')} events to 202 in median ${result.medianMs.toFixed(0)} ms → ${formatRate(result.eventsPerSecond)} (goal ≥ ${GOAL.toLocaleString('en-US')}/s: ${verdict(result.eventsPerSecond, GOAL)})`,
    );
  }
  console.log(JSON.stringify({ benchmark: 'ingest', machine: machineLine(), results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
