import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The file behind BURNDOWN_TEST_CLOCK_FILE: set it, and every service of the installation under
 * test tells that time (plus the real time since) within a few tens of milliseconds.
 */
export class TestClock {
  private constructor(
    private readonly dir: string,
    readonly file: string,
  ) {}

  static start(at: string): TestClock {
    const dir = mkdtempSync(join(tmpdir(), 'burndown-clock-'));
    const clock = new TestClock(dir, join(dir, 'now'));
    clock.set(at);
    return clock;
  }

  set(at: string): void {
    writeFileSync(this.file, new Date(at).toISOString());
  }

  /**
   * Sets the time and waits until every service tells it (FileClock looks again after 20 ms): for a
   * request that must be judged at the new time, such as usage dated just before it.
   */
  async moveTo(at: string): Promise<void> {
    this.set(at);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
