import type { Type } from '@nestjs/common';
import { loadConfig, type ConfigDefaults } from './config';
import { startBurndown, type ServiceThreadPlan } from './start-burndown';

/** Process entry point shared by every app: start, print where to reach it, exit 1 on failure. */
export function runMain(
  serviceName: string,
  modules: readonly Type[],
  defaults: ConfigDefaults,
  serviceThread?: ServiceThreadPlan,
): void {
  const start = async () => {
    const config = loadConfig(process.env, defaults);
    const running = await startBurndown(config, {
      serviceName,
      modules,
      ...(serviceThread === undefined ? {} : { serviceThread }),
    });
    const keyNote = running.developmentKeyCreated
      ? `development API key (all scopes, shown once, also in ${config.dataDir}/dev-api-key): ${running.developmentKey}`
      : `development API key: see ${config.dataDir}/dev-api-key`;
    console.log(`${serviceName} listening on ${running.url} (data in ${config.dataDir})`);
    console.log(keyNote);
  };
  start().catch((error: unknown) => {
    console.error(
      `${serviceName} failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
}
