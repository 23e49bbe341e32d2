import type { JsonValue } from './json';
import type { Subscription } from './subscription';

export interface StreamConfig {
  readonly name: string;
  /** NATS subject patterns (`*` one token, `>` the rest). */
  readonly subjects: readonly string[];
  /** A second publish with the same msgId inside this window is acknowledged as a duplicate and not stored. */
  readonly duplicateWindowMs: number;
}

export interface StreamEnsured {
  readonly created: boolean;
}

export interface ConsumerConfig {
  readonly stream: string;
  /** Durable name: progress survives restarts of the consumer and of the process. */
  readonly durableName: string;
  /** Single subject pattern (nats-server 2.9 has no plural filter). */
  readonly filterSubject?: string;
  /** Unacknowledged for this long: delivered again. */
  readonly ackWaitMs: number;
  /** After this many failed deliveries the message goes to the dead-letter stream. */
  readonly maxDeliver: number;
  /** Delay before redelivery after the n-th failure; the last entry repeats. */
  readonly backoffMs: readonly number[];
  /** Upper bound of messages handed to handlers at once. */
  readonly maxInFlight?: number;
  /**
   * For consumers off the burn's critical path (projections): take what has arrived at most once
   * per this many milliseconds, all of it at once, instead of each message as it comes. Each
   * hand-off between processes costs a wake-up on every side; a projection that takes one batch
   * per interval pays them once per interval, and its view lags by up to the interval. A backlog
   * is still taken without pause. Unset: every message as soon as it is stored.
   */
  readonly batchIntervalMs?: number;
  /**
   * For merging consumers into one: created now, this durable starts where the slowest of these
   * durables of the same stream had acknowledged, and takes over their retries (messages they had
   * done since are delivered again, to idempotent handlers). Only the embedded bus supports it;
   * other adapters refuse a config that names any.
   */
  readonly takesOverFrom?: readonly string[];
}

export interface BusMessage {
  readonly stream: string;
  readonly subject: string;
  readonly msgId: string;
  readonly sequence: bigint;
  readonly payload: JsonValue;
  readonly headers: Readonly<Record<string, string>>;
  /** 1 on first delivery. */
  readonly deliveryCount: number;
  readonly publishedAt: Date;
}

export interface PublishOptions {
  /** Idempotency key: JetStream's Nats-Msg-Id. */
  readonly msgId: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PublishAck {
  readonly stream: string;
  readonly sequence: bigint;
  readonly duplicate: boolean;
}

/**
 * Handler outcome decides the message's fate: resolve = ack; throw = nak with backoff, and after
 * maxDeliver attempts the dead-letter stream; throw PermanentFailure = dead-letter at once.
 */
export type MessageHandler = (message: BusMessage) => Promise<void>;

export type RequestHandler = (
  payload: JsonValue,
  headers: Readonly<Record<string, string>>,
) => Promise<JsonValue>;

export interface BrowseOptions {
  /** Exclusive. */
  readonly afterSequence?: bigint;
  readonly limit: number;
  readonly filterSubject?: string;
}

export interface MessageBus {
  /**
   * Creates or updates the stream; calling it again with the same config changes nothing. Says
   * whether this call created it (a process that finds it made by another says false).
   */
  ensureStream(config: StreamConfig): Promise<StreamEnsured>;
  /** Resolves only once the message is durably stored (or recognised as a duplicate). */
  publish(subject: string, payload: JsonValue, options: PublishOptions): Promise<PublishAck>;
  consume(config: ConsumerConfig, handler: MessageHandler): Promise<Subscription>;
  /**
   * Resolves true once the durable has settled every message its stream held when called (acked,
   * or dead-lettered; on the embedded bus also parked for a retry), whichever process runs it;
   * false if that takes longer than `timeoutMs`. Closing a revenue month waits for the journal so.
   */
  caughtUp(stream: string, durableName: string, timeoutMs: number): Promise<boolean>;
  /** Reads stored messages without consuming them (dead letters, audits). */
  browse(stream: string, options: BrowseOptions): Promise<readonly BusMessage[]>;
  /** Synchronous request/reply; rejects with RequestTimeoutError or NoResponderError. */
  request(
    subject: string,
    payload: JsonValue,
    options: { readonly timeoutMs: number; readonly headers?: Readonly<Record<string, string>> },
  ): Promise<JsonValue>;
  respond(subject: string, handler: RequestHandler): Promise<Subscription>;
  close(): Promise<void>;
}
