import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadStore } from '@burndown/ports';
import { SCOPES } from '../auth/scopes';
import { ApiKeyRepository } from './api-key-repository';
import { generateApiKey, looksLikeApiKey } from './api-key-secret';

export const DEVELOPMENT_KEY_FILE = 'dev-api-key';

export interface DevelopmentKey {
  /**
   * The development key. Empty when keys exist but its file does not (deleted, or no dataDir):
   * the plaintext is not stored anywhere else and cannot be recovered.
   */
  readonly key: string;
  /** True when this call created it: the only moment it can be printed. */
  readonly created: boolean;
}

/**
 * First start of a data directory: there is no key yet to create keys with, so one with every
 * scope is minted and written to `<dataDir>/dev-api-key` (mode 0600). Later starts read the file.
 */
export async function ensureDevelopmentKey(
  readStore: ReadStore,
  dataDir?: string,
  /**
   * The operator's own first admin key (BURNDOWN_ADMIN_KEY_FILE, from a Kubernetes Secret say):
   * adopted when the installation has no key yet, and then no development key is minted, written
   * or printed. Answered as `key: ''`: this process never shows it.
   */
  adminKey?: string,
): Promise<DevelopmentKey> {
  const keys = new ApiKeyRepository(readStore);
  if (adminKey !== undefined) {
    if (!looksLikeApiKey(adminKey))
      throw new RangeError(
        'the admin key must be a Burndown API key: bd_ and 40 base62 characters',
      );
    if (await keys.isEmpty()) await keys.create('admin', SCOPES, adminKey);
    return { key: '', created: false };
  }
  if (!(await keys.isEmpty())) return { key: await readKeyFile(dataDir), created: false };
  // A key placed in the data directory before the first start is adopted: several services started
  // together (npm run start:distributed) then answer to one development key.
  const placed = await readKeyFile(dataDir);
  if (looksLikeApiKey(placed)) {
    await keys.create('development', SCOPES, placed);
    return { key: placed, created: true };
  }
  const key = generateApiKey();
  // File first: if the store write then fails, the next start finds no key and writes a fresh file.
  if (dataDir !== undefined) await writeKeyFile(dataDir, key);
  await keys.create('development', SCOPES, key);
  return { key, created: true };
}

async function writeKeyFile(dataDir: string, key: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, DEVELOPMENT_KEY_FILE);
  await writeFile(path, `${key}\n`, { mode: 0o600 });
  // The mode above applies only when the file is new; an older file may have been readable by others.
  await chmod(path, 0o600);
}

async function readKeyFile(dataDir: string | undefined): Promise<string> {
  if (dataDir === undefined) return '';
  try {
    return (await readFile(join(dataDir, DEVELOPMENT_KEY_FILE), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
