import { GroupCommit } from '@burndown/decider-kit';
import type { ReadModelWrite, ReadStore } from '@burndown/ports';

/**
 * Read-model writes from handlers running at once, applied as one transaction while the previous
 * one is in flight: each caller's promise settles with the apply that held its writes.
 */
export class GroupedWrites {
  private readonly group: GroupCommit<readonly ReadModelWrite[]>;

  constructor(readStore: ReadStore) {
    this.group = new GroupCommit(
      async (batches) => void (await readStore.apply({ writes: batches.flat() })),
    );
  }

  write(writes: readonly ReadModelWrite[]): Promise<void> {
    return this.group.add(writes);
  }
}
