/**
 * The sequences a consumer took in order from its stream and has not yet settled, and the floor
 * below which every one of them is settled (acked, dead-lettered, or parked with a retry row).
 * After a crash the consumer starts again from the floor, so the floor is all it must persist on
 * the happy path: no row per message taken.
 */
export class AckFloor {
  /** Taken, in ascending order; settled ones are dropped lazily from the front. */
  private readonly taken: bigint[] = [];
  private head = 0;
  private readonly open = new Set<bigint>();

  constructor(private floor: bigint) {}

  take(sequence: bigint): void {
    this.taken.push(sequence);
    this.open.add(sequence);
  }

  settle(sequence: bigint): void {
    this.open.delete(sequence);
  }

  /** Every taken sequence up to the result is settled; `scannedThrough` when nothing is open. */
  current(scannedThrough: bigint): bigint {
    while (this.head < this.taken.length && !this.open.has(this.taken[this.head] as bigint))
      this.head++;
    if (this.head > 1_024 && this.head * 2 > this.taken.length) {
      this.taken.splice(0, this.head);
      this.head = 0;
    }
    const lowestOpen = this.taken[this.head];
    this.floor = lowestOpen === undefined ? scannedThrough : lowestOpen - 1n;
    return this.floor;
  }
}
