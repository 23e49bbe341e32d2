import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Takes the data directory's pid lock file: two processes writing one directory would each
 * believe they are the single writer of every stream in it.
 */
export function takeLock(lockFile: string): void {
  const holder = readLockHolder(lockFile);
  if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `data directory is in use by process ${holder} (${lockFile}); stop it or choose another BURNDOWN_DATA_DIR`,
    );
  }
  writeFileSync(lockFile, String(process.pid));
}

function readLockHolder(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A killed process stays signalable until its parent reaps it; it holds nothing any more. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
