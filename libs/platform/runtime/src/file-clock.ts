import { readFileSync, statSync } from 'node:fs';
import type { Clock } from '@burndown/ports';

/** How long a look at the file stands: `now()` is called per command, a look costs a system call. */
const LOOK_AGAIN_AFTER_MS = 20;

/**
 * A clock set from a file, for tests and demos that need months to pass in minutes (as Stripe's
 * test clocks do): the file holds an ISO-8601 instant, and the time is that instant plus the real
 * time since the file was written (its modification time), so every process and thread reading
 * the file tells the same time. Never for production: without `BURNDOWN_TEST_CLOCK_FILE` the
 * installation runs on the system clock.
 */
export class FileClock implements Clock {
  private offsetMs = 0;
  private writtenAtMs = Number.NaN;
  private lookedAtMs = -Infinity;

  constructor(private readonly file: string) {
    this.look();
  }

  now(): Date {
    if (Date.now() - this.lookedAtMs > LOOK_AGAIN_AFTER_MS) this.look();
    return new Date(Date.now() + this.offsetMs);
  }

  private look(): void {
    this.lookedAtMs = Date.now();
    const { mtimeMs } = statSync(this.file);
    if (mtimeMs === this.writtenAtMs) return;
    const text = readFileSync(this.file, 'utf8').trim();
    const at = Date.parse(text);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(at))
      throw new Error(`${this.file} must hold an ISO-8601 time, got ${JSON.stringify(text)}`);
    this.writtenAtMs = mtimeMs;
    this.offsetMs = at - mtimeMs;
  }
}
