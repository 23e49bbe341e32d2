import type { ReadModelWrite, ReadStore } from '@burndown/ports';

interface Waiting {
  readonly writes: readonly ReadModelWrite[];
  resolve(): void;
  reject(error: unknown): void;
}

const MAX_GROUP = 1_000;

/**
 * Read-model writes from handlers running at once, applied as one transaction while the previous
 * one is in flight (group commit): each caller's promise settles with the apply that held its writes.
 */
export class GroupedWrites {
  private queue: Waiting[] = [];
  private draining = false;

  constructor(private readonly readStore: ReadStore) {}

  write(writes: readonly ReadModelWrite[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ writes, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          await this.readStore.apply({ writes: group.flatMap((waiting) => waiting.writes) });
          for (const waiting of group) waiting.resolve();
        } catch (error) {
          for (const waiting of group) waiting.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
