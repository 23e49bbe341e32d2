import type { ReadStore } from '@burndown/ports';

/** The checkpoints of the subscribers the fan-out replaced: ledger, relay and timers walked separately. */
const SUPERSEDED_CHECKPOINTS = ['wallets.ledger', 'wallets.relay', 'wallets.timers'] as const;

/**
 * A read store kept by the three separate subscribers has no fan-out checkpoint yet, and walking
 * from zero would re-publish every wallet event ever, long past the bus's duplicate window. The
 * fan-out starts after the earliest of their checkpoints instead: nothing one of them had not
 * passed is skipped, and the others see a few events again, which their guards absorb. Unless all
 * three had moved, one of them never ran, and the walk starts from zero.
 */
export async function takeOverSupersededCheckpoints(
  readStore: ReadStore,
  checkpointName: string,
): Promise<void> {
  if ((await readStore.checkpoint(checkpointName)) !== undefined) return;
  const positions = await Promise.all(
    SUPERSEDED_CHECKPOINTS.map((name) => readStore.checkpoint(name)),
  );
  const passed = positions.filter((position): position is bigint => position !== undefined);
  if (passed.length < SUPERSEDED_CHECKPOINTS.length) return;
  const earliest = passed.reduce((min, position) => (position < min ? position : min));
  await readStore.apply({ writes: [], checkpoint: { name: checkpointName, position: earliest } });
}
