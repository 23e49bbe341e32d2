import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EventStore, ReadStore, RecordedEvent, Subscription } from '@burndown/ports';

/**
 * Walks the streams with a name prefix in $all order from a checkpoint kept in the read store.
 * The subclass handles one event and moves the checkpoint itself, with its own writes or after its
 * side effect: that choice is what makes its delivery exactly-once or at-least-once.
 */
export abstract class CheckpointedSubscriber implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger(this.constructor.name);
  private subscription: Subscription | undefined;

  protected constructor(
    protected readonly store: EventStore,
    protected readonly readStore: ReadStore,
    protected readonly checkpointName: string,
    private readonly streamNamePrefix: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const fromPosition = await this.readStore.checkpoint(this.checkpointName);
    this.subscription = this.store.subscribeToAll(
      {
        ...(fromPosition === undefined ? {} : { fromPosition }),
        filter: { streamNamePrefixes: [this.streamNamePrefix] },
        onError: (error, event) => this.logger.error(`${this.checkpointName} failed on ${event.streamName}@${event.revision}: ${String(error)}`),
      },
      (recorded) => this.handleRecorded(recorded),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  protected abstract handleRecorded(recorded: RecordedEvent): Promise<void>;
}
