import 'reflect-metadata';
import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parentPort, workerData } from 'node:worker_threads';
import { storeActivity } from '@burndown/ports';
import { openInfrastructure } from '../infrastructure';
import { InfrastructureModule } from '../infrastructure.module';
import { nestLogLevels } from '../log-levels';
import type {
  MainThreadMessage,
  ServiceThreadData,
  ServiceThreadMessage,
} from './service-thread-protocol';

/**
 * A service thread: the service modules it was given, without HTTP (the main thread serves the
 * API), on the main thread's embedded databases joined through connections of its own.
 */
async function run(data: ServiceThreadData): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('service-thread.worker runs only as a worker thread');
  const say = (message: ServiceThreadMessage) => port.postMessage(message);
  storeActivity.countInto(data.storeActivity);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the modules come by file name: classes cannot cross threads
  const modules = (require(data.modules.file) as Record<string, readonly Type[] | undefined>)[
    data.modules.exportName
  ];
  if (modules === undefined)
    throw new Error(`${data.modules.file} exports no ${data.modules.exportName}`);
  const infrastructure = await openInfrastructure(data.config, data.databases);

  @Module({ imports: [InfrastructureModule.forRoot(data.config, infrastructure), ...modules] })
  class ServiceThreadModule {}

  const app = await NestFactory.createApplicationContext(ServiceThreadModule, {
    logger: nestLogLevels(data.config.logLevel),
  });
  await app.init();
  port.on('message', (message: MainThreadMessage) => {
    if (message.type !== 'stop') return;
    app.close().then(
      () => say({ type: 'stopped' }),
      (error: unknown) => say({ type: 'failed', error: `stopping: ${String(error)}` }),
    );
  });
  say({ type: 'started' });
}

run(workerData as ServiceThreadData).catch((error: unknown) => {
  parentPort?.postMessage({
    type: 'failed',
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  } satisfies ServiceThreadMessage);
});
