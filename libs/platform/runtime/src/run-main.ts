import type { Type } from '@nestjs/common';
import { loadConfig, type BurndownConfig, type ConfigDefaults } from './config';
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
    console.log(`${serviceName} listening on ${running.url} (data in ${config.dataDir})`);
    console.log(keyNote(config, running, process.stdout.isTTY === true));
  };
  start().catch((error: unknown) => {
    console.error(
      `${serviceName} failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
}

/**
 * What a start says about keys. A key is printed only on the first start of an interactive
 * terminal: logs collected from a container or CI would otherwise keep an admin secret.
 */
export function keyNote(
  config: Pick<BurndownConfig, 'dataDir' | 'adminKey'>,
  running: { readonly developmentKey: string; readonly developmentKeyCreated: boolean },
  interactive: boolean,
): string {
  if (config.adminKey !== undefined)
    return `API keys: the first admin key is the one in ${'file' in config.adminKey ? 'BURNDOWN_ADMIN_KEY_FILE' : 'BURNDOWN_ADMIN_KEY'} (not printed)`;
  const file = `${config.dataDir}/dev-api-key`;
  if (!running.developmentKeyCreated) return `development API key: see ${file}`;
  return interactive
    ? `development API key (all scopes, shown once, also in ${file}): ${running.developmentKey}`
    : `development API key (all scopes) written to ${file}; not printed, as the output is not a terminal`;
}
