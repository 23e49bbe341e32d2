import type { SharedDatabases } from '@burndown/embedded';
import type { BurndownConfig } from '../config';

/** Which service modules a thread hosts: an export of a module file (classes cannot be sent). */
export interface ServiceModulesRef {
  /** Absolute path of the file, compiled or TypeScript (see compiledScript). */
  readonly file: string;
  /** Its export holding the array of Nest modules. */
  readonly exportName: string;
}

export interface ServiceThreadData {
  readonly config: BurndownConfig;
  readonly modules: ServiceModulesRef;
  /** The embedded databases the main thread opened, one per embedded adapter. */
  readonly databases: SharedDatabases;
  /** The process's store-activity counts (GET /health). */
  readonly storeActivity: SharedArrayBuffer;
}

export type ServiceThreadMessage =
  | { readonly type: 'started' }
  | { readonly type: 'failed'; readonly error: string }
  | { readonly type: 'stopped' };

export type MainThreadMessage = { readonly type: 'stop' };
