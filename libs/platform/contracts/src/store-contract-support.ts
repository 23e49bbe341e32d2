import { randomUUID } from 'node:crypto';

/**
 * A name no other test uses, so contract tests stay independent of each other and can run against
 * a shared, long-lived server that still holds data from earlier runs.
 */
export function uniqueName(label: string): string {
  return `${label}-${randomUUID()}`;
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until the condition holds; fails with `what` after the timeout. */
export async function eventually(
  what: string,
  condition: () => boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(10);
  }
}
