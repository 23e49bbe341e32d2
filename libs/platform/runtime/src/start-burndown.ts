import { Module, type LogLevel, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpPlatformModule, createHttpApp, ensureDevelopmentKey } from '@burndown/http';
import type { BurndownConfig, LogLevelChoice } from './config';
import { openInfrastructure } from './infrastructure';
import { InfrastructureModule } from './infrastructure.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';

export interface StartOptions {
  /** Names the process in logs, health and the OpenAPI title. */
  readonly serviceName: string;
  readonly modules: readonly Type[];
  /** Keep the data directory's files only for a real run; tests pass `undefined` for memory. */
  readonly persistent?: boolean;
}

export interface RunningBurndown {
  readonly app: NestFastifyApplication;
  readonly url: string;
  /** The development API key (created on first start of a data directory). */
  readonly developmentKey: string;
  readonly developmentKeyCreated: boolean;
  close(): Promise<void>;
}

/** Opens the adapters, composes the service modules into one Nest app and starts listening. */
export async function startBurndown(config: BurndownConfig, options: StartOptions): Promise<RunningBurndown> {
  const persistent = options.persistent ?? true;
  const infrastructure = await openInfrastructure({ ...config, ...(persistent ? {} : { dataDir: undefined }) });

  @Module({
    imports: [
      InfrastructureModule.forRoot(config, infrastructure),
      HttpPlatformModule.forRoot({ serviceName: options.serviceName }),
      DeadLettersModule,
      ...options.modules,
    ],
  })
  class BurndownRootModule {}

  const app = await createHttpApp(BurndownRootModule, {
    title: `Burndown ${options.serviceName}`,
    bodyLimitBytes: config.bodyLimitBytes,
    logger: nestLogLevels(config.logLevel),
  });
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const developmentKey = await ensureDevelopmentKey(infrastructure.readStore, persistent ? config.dataDir : undefined);
  return {
    app,
    url: `http://${config.host}:${port}`,
    developmentKey: developmentKey.key,
    developmentKeyCreated: developmentKey.created,
    close: () => app.close(),
  };
}

function nestLogLevels(level: LogLevelChoice): LogLevel[] | false {
  const ordered: LogLevel[] = ['debug', 'log', 'warn', 'error', 'fatal'];
  if (level === 'silent') return false;
  return ordered.slice(ordered.indexOf(level));
}
