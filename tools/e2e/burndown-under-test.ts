import { MESSAGE_BUS, type MessageBus } from '@burndown/ports';
import { loadConfig, startBurndown } from '@burndown/runtime';
import { busUnderTest } from '@burndown/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_MAIN_THREAD, EMBEDDED_SERVICE_THREAD } from '../../apps/burndown/src/services';
import { startServicesInProcess } from './services-in-process';

/** What an end-to-end suite talks to: one URL, one key with every scope, and the bus behind it. */
export interface BurndownUnderTest {
  readonly url: string;
  readonly developmentKey: string;
  /** The bus the services share, for publishing, requesting and browsing around the HTTP API. */
  readonly bus: MessageBus;
  close(): Promise<void>;
}

export type E2eTopology = 'embedded' | 'distributed';

/** For a suite's beforeAll: five services (or one) opening stores on a busy 2-core machine. */
export const STARTUP_TIMEOUT_MS = 60_000;

/**
 * `BURNDOWN_E2E_TOPOLOGY`: `embedded` (the default) is the one-process app; `distributed` is the
 * five services as separate apps behind the gateway, which only NATS can connect.
 */
export function e2eTopology(env: NodeJS.ProcessEnv = process.env): E2eTopology {
  const chosen = env['BURNDOWN_E2E_TOPOLOGY'] || 'embedded';
  if (chosen !== 'embedded' && chosen !== 'distributed') {
    throw new Error(
      `BURNDOWN_E2E_TOPOLOGY must be embedded or distributed, got ${JSON.stringify(chosen)}`,
    );
  }
  if (chosen === 'distributed' && env['BURNDOWN_BUS'] !== 'nats') {
    throw new Error(
      'BURNDOWN_E2E_TOPOLOGY=distributed needs BURNDOWN_BUS=nats: the separate services reach each other only over NATS',
    );
  }
  return chosen;
}

/**
 * Starts Burndown for a suite on the bus under test (a private NATS namespace when
 * BURNDOWN_BUS=nats), on stores that go when it closes. `env` (scheduler interval, body limit,
 * log level…) reaches every service.
 */
export async function startBurndownUnderTest(
  env: Readonly<Record<string, string>> = {},
): Promise<BurndownUnderTest> {
  const topology = e2eTopology();
  const testBus = busUnderTest();
  const serviceEnv = { BURNDOWN_PORT: '0', ...env, ...testBus.env };
  try {
    const started =
      topology === 'embedded'
        ? await startEmbedded(loadConfig(serviceEnv))
        : await startServicesInProcess(serviceEnv);
    return { ...started, close: () => started.close().finally(() => testBus.cleanup()) };
  } catch (error) {
    await testBus.cleanup();
    throw error;
  }
}

/**
 * As `npm start` runs it: ingestion, wallets and the APIs on the main thread, the pipelines on a
 * service thread, over a data directory of its own (a database in memory cannot be shared with a
 * thread), removed when the suite closes.
 */
async function startEmbedded(config: ReturnType<typeof loadConfig>): Promise<BurndownUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'burndown-e2e-'));
  try {
    const burndown = await startBurndown(
      { ...config, dataDir },
      {
        serviceName: 'burndown',
        modules: EMBEDDED_MAIN_THREAD,
        serviceThread: EMBEDDED_SERVICE_THREAD,
      },
    );
    return {
      url: burndown.url,
      developmentKey: burndown.developmentKey,
      bus: burndown.app.get<MessageBus>(MESSAGE_BUS),
      close: () =>
        burndown.close().finally(() => rmSync(dataDir, { recursive: true, force: true })),
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
