/**
 * Runs what is queued during one turn of the event loop together, on the next one (setImmediate).
 * The NATS client flushes its socket once per microtask checkpoint, so acks and publishes issued
 * one per handler continuation each cost a socket write; issued back to back they share one.
 */
export class TurnBatch<Item> {
  private queued: Item[] = [];
  private scheduled = false;

  constructor(private readonly runAll: (items: readonly Item[]) => void) {}

  add(item: Item): void {
    this.queued.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const items = this.queued;
      this.queued = [];
      this.runAll(items);
    });
  }
}
