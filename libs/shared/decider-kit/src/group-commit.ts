interface Waiting<Item> {
  readonly item: Item;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Items added while a flush is in flight wait and go together in the next one (group commit):
 * one write for many callers, and each caller's promise settles with the flush that held its item.
 */
export class GroupCommit<Item> {
  private queue: Waiting<Item>[] = [];
  private draining = false;

  constructor(
    private readonly flush: (items: readonly Item[]) => Promise<void>,
    private readonly maxGroup = 1_000,
  ) {}

  add(item: Item): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup);
        try {
          await this.flush(group.map((waiting) => waiting.item));
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
