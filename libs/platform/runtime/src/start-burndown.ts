import { readFileSync } from 'node:fs';
import { Module, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpPlatformModule, createHttpApp, ensureDevelopmentKey } from '@burndown/http';
import { ConfigError, type BurndownConfig } from './config';
import { openInfrastructure } from './infrastructure';
import { InfrastructureModule } from './infrastructure.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { nestLogLevels } from './log-levels';
import { startServiceThread, type ServiceThread } from './threads/service-thread';
import type { ServiceModulesRef } from './threads/service-thread-protocol';

/** Service modules that may run on a thread of their own (config.serviceThreads). */
export interface ServiceThreadPlan {
  /** The modules, for when they run on the main thread after all. */
  readonly modules: readonly Type[];
  /** The same modules, by file and export, for the thread to load. */
  readonly ref: ServiceModulesRef;
}

export interface StartOptions {
  /** Names the process in logs, health and the OpenAPI title. */
  readonly serviceName: string;
  readonly modules: readonly Type[];
  /** Keep the data directory's files only for a real run; tests pass `undefined` for memory. */
  readonly persistent?: boolean;
  /** Modules for a second thread: there when config.serviceThreads > 1 and the store is on disk. */
  readonly serviceThread?: ServiceThreadPlan;
  /** The service thread failed after it started; the default exits the process with the reason. */
  readonly onServiceThreadFailure?: (reason: string) => void;
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
export async function startBurndown(
  config: BurndownConfig,
  options: StartOptions,
): Promise<RunningBurndown> {
  const persistent = options.persistent ?? true;
  const infrastructure = await openInfrastructure({
    ...config,
    ...(persistent ? {} : { dataDir: undefined }),
  });
  const plan = options.serviceThread;
  // A database in memory lives in one connection: nothing to share with a thread.
  const threaded = plan !== undefined && config.serviceThreads > 1 && !infrastructure.inMemory;

  @Module({
    imports: [
      InfrastructureModule.forRoot(config, infrastructure),
      HttpPlatformModule.forRoot({ serviceName: options.serviceName }),
      DeadLettersModule,
      ...options.modules,
      ...(threaded ? [] : (plan?.modules ?? [])),
    ],
  })
  class BurndownRootModule {}

  const app = await createHttpApp(BurndownRootModule, {
    title: `Burndown ${options.serviceName}`,
    bodyLimitBytes: config.bodyLimitBytes,
    logger: nestLogLevels(config.logLevel),
  });
  let thread: ServiceThread | undefined;
  try {
    if (threaded)
      thread = await startServiceThread({
        config,
        modules: plan.ref,
        databases: infrastructure.shareDatabases(),
        onFailure: options.onServiceThreadFailure ?? exitOnThreadFailure(options.serviceName),
      });
    await app.listen(config.port, config.host);
  } catch (error) {
    await thread?.stop();
    await app.close();
    throw error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const developmentKey = await ensureDevelopmentKey(
    infrastructure.readStore,
    persistent ? config.dataDir : undefined,
    readAdminKey(config.adminKey),
  );
  return {
    app,
    url: `http://${config.host}:${port}`,
    developmentKey: developmentKey.key,
    developmentKeyCreated: developmentKey.created,
    close: async () => {
      // The thread first: its consumers ack through the database the app closes.
      await thread?.stop();
      await app.close();
    },
  };
}

function exitOnThreadFailure(serviceName: string): (reason: string) => void {
  return (reason) => {
    console.error(
      `${serviceName}: its service thread failed, exiting so it can be restarted (nothing acknowledged is lost): ${reason}`,
    );
    process.exit(1);
  };
}

/** The configured first admin key, read now: a file that cannot be read fails the start, named. */
function readAdminKey(adminKey: BurndownConfig['adminKey']): string | undefined {
  if (adminKey === undefined) return undefined;
  if ('variable' in adminKey) return adminKey.variable;
  try {
    return readFileSync(adminKey.file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(
      `BURNDOWN_ADMIN_KEY_FILE: cannot read ${adminKey.file}: ${(error as Error).message}`,
    );
  }
}
