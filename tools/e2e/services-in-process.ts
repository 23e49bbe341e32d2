import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpGateway, generateApiKey } from '@burndown/http';
import { NatsBus } from '@burndown/nats';
import { loadConfig, startBurndown, type RunningBurndown } from '@burndown/runtime';
import { GATEWAY_ROUTES } from '../distributed/routes';
import { SERVICE_MODULES } from '../distributed/service-modules';
import { DISTRIBUTED_SERVICES, type ServiceName } from '../distributed/services';
import type { BurndownUnderTest } from './burndown-under-test';

/**
 * The five services as separate Nest apps in this process, each on its own store, connected only
 * by the NATS namespace in `env`, behind the gateway. Each store is a fresh data directory in a
 * scratch directory removed on close, holding the one development key every service adopts on
 * first start, as under `npm run start:distributed`.
 */
export async function startServicesInProcess(
  env: Readonly<Record<string, string>>,
): Promise<BurndownUnderTest> {
  const scratch = mkdtempSync(join(tmpdir(), 'burndown-e2e-'));
  const developmentKey = generateApiKey();
  const services = new Map<ServiceName, RunningBurndown>();
  const closeServices = async () => {
    await Promise.all([...services.values()].map((service) => service.close()));
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await Promise.all(
      DISTRIBUTED_SERVICES.map(async ({ name }) => {
        const dataDir = join(scratch, name);
        mkdirSync(dataDir);
        writeFileSync(join(dataDir, 'dev-api-key'), developmentKey, { mode: 0o600 });
        const config = loadConfig({ ...env, BURNDOWN_DATA_DIR: dataDir });
        services.set(
          name,
          await startBurndown(config, { serviceName: name, modules: [SERVICE_MODULES[name]] }),
        );
      }),
    );
    const gateway = await HttpGateway.start({
      routes: GATEWAY_ROUTES,
      services: DISTRIBUTED_SERVICES.map(({ name }) => name),
      upstream: (name) => services.get(name)?.url,
    });
    const { natsUrl, natsNamespace } = loadConfig(env);
    const bus = await NatsBus.connect({ url: natsUrl, namespace: natsNamespace, name: 'e2e' });
    const close = async () => {
      await gateway.close();
      await bus.close();
      await closeServices();
    };
    return { url: gateway.url, developmentKey, bus, close };
  } catch (error) {
    await closeServices();
    throw error;
  }
}
