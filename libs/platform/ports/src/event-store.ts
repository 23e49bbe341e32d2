import type { JsonObject } from './json';
import type { Subscription } from './subscription';

export interface NewEvent {
  /** Unique per store; also the message id its integration event is relayed with. */
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata?: JsonObject;
}

export interface RecordedEvent {
  readonly streamName: string;
  /** 0-based position of the event inside its stream. */
  readonly revision: bigint;
  /** Position in the store's global order ($all); strictly increasing, gaps allowed. */
  readonly position: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly recordedAt: Date;
}

/**
 * What the writer believes the stream's last revision to be.
 * `no_stream`: the stream must not exist; `stream_exists`: it must exist; `any`: no check.
 */
export type ExpectedRevision = bigint | 'no_stream' | 'stream_exists' | 'any';

export interface AppendResult {
  /** Revision of the last appended event: pass it as the next expected revision. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last appended event. */
  readonly position: bigint;
}

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the first event (forwards) or the last (backwards). */
  readonly fromRevision?: bigint;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive: deliver events after this position. Omitted: from the very beginning. */
  readonly fromPosition?: bigint;
  /** Server-side filter; an event passes when it matches any listed prefix of either kind. */
  readonly filter?: {
    readonly streamNamePrefixes?: readonly string[];
    readonly eventTypePrefixes?: readonly string[];
  };
  /** Called when the handler throws; the same event is retried after a pause, never skipped. */
  readonly onError?: (error: unknown, event: RecordedEvent) => void;
}

export type EventHandler = (event: RecordedEvent) => Promise<void>;

/** The source of truth for every event-sourced stream (DESIGN.md §2, §5). */
export interface EventStore {
  /**
   * Appends all events or none. Throws WrongExpectedRevisionError when the stream's
   * revision differs from the expectation.
   */
  append(
    streamName: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult>;

  /** The stream's events in the requested order; an empty array when the stream does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;

  /**
   * Catch-up subscription over all streams in global order, then live. The handler is awaited
   * one event at a time, so a checkpoint stored after it returns never skips an event.
   */
  subscribeToAll(options: SubscribeToAllOptions, handler: EventHandler): Subscription;

  close(): Promise<void>;
}
