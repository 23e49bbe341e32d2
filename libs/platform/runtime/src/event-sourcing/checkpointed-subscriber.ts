import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type {
  EventStore,
  ReadModelWrite,
  ReadStore,
  RecordedEvent,
  Subscription,
} from '@burndown/ports';
import { CheckpointBatch } from './checkpoint-batch';

/** What handling one event produced: read-model writes, and a side effect already under way. */
export interface Handled {
  readonly writes?: readonly ReadModelWrite[];
  /** Must have succeeded before the checkpoint passes the event (a publish): at-least-once. */
  readonly effect?: Promise<unknown>;
}

/** Events handled before their writes and the checkpoint go to the read store in one batch. */
const MAX_BATCH = 500;
/** How long a partial batch waits for more events: the read model lags by about this much. */
const FLUSH_DELAY_MS = 5;
const RESTART_DELAY_MS = 1_000;

/**
 * Walks the streams with a name prefix in $all order from a checkpoint kept in the read store.
 * Handling is per event, writing is per batch: the writes of many events and the checkpoint after
 * the last of them are applied together once their side effects succeeded. A failed batch
 * restarts the walk from the stored checkpoint, so nothing is skipped and the repeats are absorbed
 * by version-guarded writes and message ids.
 */
export abstract class CheckpointedSubscriber implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger(this.constructor.name);
  private subscription: Subscription | undefined;
  private batch = new CheckpointBatch();
  private flushing: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | undefined;
  /** Set when a batch failed: events are ignored until the walk restarts from the checkpoint. */
  private failed = false;
  private stopped = false;

  protected constructor(
    protected readonly store: EventStore,
    protected readonly readStore: ReadStore,
    protected readonly checkpointName: string,
    private readonly streamNamePrefix: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.subscribe();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.flush();
  }

  protected abstract handleRecorded(recorded: RecordedEvent): Promise<Handled | undefined>;

  private async subscribe(): Promise<void> {
    const fromPosition = await this.readStore.checkpoint(this.checkpointName);
    this.subscription = this.store.subscribeToAll(
      {
        ...(fromPosition === undefined ? {} : { fromPosition }),
        filter: { streamNamePrefixes: [this.streamNamePrefix] },
        onError: (error, event) =>
          this.logger.error(
            `${this.checkpointName} failed on ${event.streamName}@${event.revision}: ${String(error)}`,
          ),
      },
      (recorded) => this.onRecorded(recorded),
    );
  }

  private async onRecorded(recorded: RecordedEvent): Promise<void> {
    if (this.failed) return;
    const handled = await this.handleRecorded(recorded);
    this.batch.add(recorded.position, handled);
    if (this.batch.size >= MAX_BATCH) await this.flush();
    else this.flushTimer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Chains the current batch behind the ones before it, so checkpoints only ever move forward. */
  private flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.batch;
    if (batch.size === 0) return this.flushing;
    this.batch = new CheckpointBatch();
    this.flushing = this.flushing.then(async () => {
      if (this.failed) return;
      try {
        await batch.commit(this.readStore, this.checkpointName);
      } catch (error) {
        this.failed = true;
        this.logger.error(
          `${this.checkpointName}: a batch failed, walking again from the checkpoint: ${String(error)}`,
        );
        void this.restart();
      }
    });
    return this.flushing;
  }

  private async restart(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
    await this.subscription?.stop();
    if (this.stopped) return;
    this.batch = new CheckpointBatch();
    this.failed = false;
    try {
      await this.subscribe();
    } catch (error) {
      this.failed = true;
      this.logger.error(
        `${this.checkpointName}: could not resubscribe, trying again: ${String(error)}`,
      );
      void this.restart();
    }
  }
}
