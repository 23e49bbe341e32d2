import { connect, type NatsConnection } from 'nats';

/**
 * Watches the harness's own nats-server for usage messages as ingestion publishes them. Killing
 * ingestion the moment one appears lands the kill in the middle of a batch: some of its events
 * are stored, and the client never hears so. Only the subject is assumed (`usage.<customer>`,
 * no namespace); without a message in time the kill happens anyway.
 */
export class UsageWatch {
  private waiting: (() => void) | undefined;

  private constructor(private readonly connection: NatsConnection) {}

  static async open(natsUrl: string): Promise<UsageWatch> {
    const watch = new UsageWatch(await connect({ servers: natsUrl, name: 'fault-harness-watch' }));
    const subscription = watch.connection.subscribe('usage.>');
    void (async () => {
      for await (const _message of subscription) {
        watch.waiting?.();
        watch.waiting = undefined;
      }
    })();
    await watch.connection.flush();
    return watch;
  }

  /** Resolves at the next usage message on the bus, or after `timeoutMs`; true when one came. */
  nextPublish(timeoutMs: number): Promise<boolean> {
    return new Promise((done) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiting = () => {
        clearTimeout(timer);
        done(true);
      };
    });
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
