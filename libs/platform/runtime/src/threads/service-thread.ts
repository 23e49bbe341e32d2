import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SharedDatabases } from '@burndown/embedded';
import { storeActivity } from '@burndown/ports';
import type { BurndownConfig } from '../config';
import { compiledScript } from './compiled-script';
import type {
  MainThreadMessage,
  ServiceModulesRef,
  ServiceThreadData,
  ServiceThreadMessage,
} from './service-thread-protocol';

/** The thread's name, as the operating system shows it (at most 15 characters are kept). */
export const SERVICE_THREAD_NAME = 'burndown-svc';

/** How long a stopping thread may take to finish its consumers before it is terminated. */
const STOP_TIMEOUT_MS = 30_000;

export interface ServiceThread {
  /** Stops its services (their handlers finish, their acks commit), then the thread. */
  stop(): Promise<void>;
}

/**
 * Starts service modules on a worker thread of this process and resolves once they run. After
 * that, a thread that fails calls `onFailure`: its consumers are gone, so the process must not
 * go on accepting work as if nothing happened.
 */
export async function startServiceThread(options: {
  readonly config: BurndownConfig;
  readonly modules: ServiceModulesRef;
  readonly databases: SharedDatabases;
  readonly onFailure: (reason: string) => void;
}): Promise<ServiceThread> {
  const script = compiledScript(
    join(__dirname, `service-thread.worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`),
  );
  const modules = { ...options.modules, file: compiledScript(options.modules.file).file };
  const data: ServiceThreadData = {
    config: options.config,
    modules,
    databases: options.databases,
    storeActivity: storeActivity.sharedCounts,
  };
  const worker = new Worker(script.file, {
    workerData: data,
    execArgv: [...process.execArgv, ...script.execArgv],
    name: SERVICE_THREAD_NAME,
  });
  let stopping = false;
  const stopped = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: ServiceThreadMessage) => {
      if (message.type === 'started') {
        worker.off('exit', onExit);
        resolve();
      } else if (message.type === 'failed')
        reject(new Error(`service thread failed to start: ${message.error}`));
    };
    const onExit = (code: number) =>
      reject(new Error(`service thread exited with code ${code} while starting`));
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.once('error', (error) => reject(error));
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  worker.on('message', (message: ServiceThreadMessage) => {
    if (message.type === 'failed' && !stopping) options.onFailure(message.error);
  });
  worker.on('error', (error) => {
    if (!stopping) options.onFailure(error.stack ?? error.message);
  });
  worker.once('exit', (code) => {
    if (!stopping) options.onFailure(`the thread exited with code ${code}`);
  });

  return {
    async stop() {
      if (stopping) return stopped;
      stopping = true;
      const done = new Promise<void>((resolve) => {
        worker.on('message', (message: ServiceThreadMessage) => {
          if (message.type === 'stopped' || message.type === 'failed') resolve();
        });
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'stop' } satisfies MainThreadMessage);
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
      await Promise.race([done, timeout]);
      await worker.terminate();
      await stopped;
    },
  };
}
