import type { ReadModelWrite, ReadStore } from '@burndown/ports';

/** The writes, side effects and last position of events handled since the last commit. */
export class CheckpointBatch {
  private readonly writes: ReadModelWrite[] = [];
  private readonly effects: Promise<unknown>[] = [];
  private position: bigint | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(
    position: bigint,
    handled:
      | { readonly writes?: readonly ReadModelWrite[]; readonly effect?: Promise<unknown> }
      | undefined,
  ): void {
    if (handled?.writes) this.writes.push(...handled.writes);
    if (handled?.effect) {
      // Awaited in commit(); until then a rejection must not count as unhandled.
      handled.effect.catch(() => undefined);
      this.effects.push(handled.effect);
    }
    this.position = position;
    this.count++;
  }

  /** Every side effect first, then the writes with the checkpoint in one apply. */
  async commit(readStore: ReadStore, checkpointName: string): Promise<void> {
    if (this.position === undefined) return;
    await Promise.all(this.effects);
    await readStore.apply({
      writes: this.writes,
      checkpoint: { name: checkpointName, position: this.position },
    });
  }
}
