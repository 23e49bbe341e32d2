import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  NatsError,
  RetentionPolicy,
  StorageType,
  connect,
  headers as natsHeaders,
  nanos,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type MsgHdrs,
  type NatsConnection,
} from 'nats';
import {
  DEAD_LETTER_STREAM,
  DEAD_LETTER_SUBJECT_PREFIX,
  NoResponderError,
  NoStreamForSubjectError,
  PermanentFailure,
  RemoteRequestError,
  RequestTimeoutError,
  deadLetterSubject,
  type BrowseOptions,
  type BusMessage,
  type ConsumerConfig,
  type DeadLetter,
  type JsonValue,
  type MessageBus,
  type MessageHandler,
  type PublishAck,
  type PublishOptions,
  type RequestHandler,
  type StreamConfig,
  type StreamEnsured,
  type Subscription,
} from '@burndown/ports';
import { decodeJson, encodeJson, headersOf } from './json-codec';
import { readPublishAck } from './publish-ack';
import { ReplyInbox, ReplyMissing } from './reply-inbox';
import { TurnBatch } from './turn-batch';
import { authOptions, streamDifferences } from './nats-settings';

export interface NatsBusOptions {
  /** e.g. nats://127.0.0.1:4222 */
  readonly url: string;
  /** Connection name shown by the server's monitoring. */
  readonly name?: string;
  /** How long a repeated dead letter (same stream, durable and sequence) is recognised. */
  readonly deadLetterWindowMs?: number;
  /**
   * Keeps several installations (or test runs) apart on one server: streams are named
   * `<namespace>_<NAME>` and subjects `<namespace>.<subject>`; callers never see the prefix.
   */
  readonly namespace?: string;
  /** How to authenticate; none unless given. */
  readonly auth?: NatsAuth;
  /** PEM contents: a CA to verify the server; a certificate and key to be verified by it. */
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string };
  /** Applied to every stream at each start; unbounded, one replica unless given. */
  readonly streamLimits?: StreamLimits;
  /** Told when a stream found on the server differs from what this bus wants (and what it did). */
  readonly warn?: (message: string) => void;
}

export type NatsAuth =
  | { readonly user: string; readonly pass: string }
  | { readonly token: string }
  | { readonly nkeySeed: Uint8Array }
  | { readonly creds: Uint8Array };

export interface StreamLimits {
  /** 0: none. The dead-letter stream ignores it: a dead letter stays until it is re-driven. */
  readonly maxAgeMs: number;
  /** -1: none. A full stream refuses new messages (DiscardPolicy.New): nothing is dropped. */
  readonly maxBytes: number;
  readonly replicas: number;
}

/** Replies carry a responder's failure in this header, with an empty body. */
const ERROR_HEADER = 'Burndown-Error';
const RESPONDER_QUEUE = 'burndown';
const DAY_MS = 86_400_000;
/** As long as the client's own JetStream publish waited for its ack. */
const PUBLISH_ACK_TIMEOUT_MS = 5_000;
const MSG_ID_HEADER = 'Nats-Msg-Id';
const UNBOUNDED_STREAMS: StreamLimits = { maxAgeMs: 0, maxBytes: -1, replicas: 1 };

/**
 * MessageBus on NATS JetStream (nats-server 2.9+): file-backed streams with a Nats-Msg-Id dedupe
 * window, durable pull consumers with explicit ack, nak with backoff, and dead letters published
 * to DEAD_LETTERS with their reason after maxDeliver failures (the server's own max_deliver is
 * unlimited, so nothing is ever dropped without a dead letter). Request/reply is core NATS.
 */
interface QueuedPublish {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: MsgHdrs;
  resolve(ack: PublishAck): void;
  reject(error: unknown): void;
  readonly callerSubject: string;
}

export class NatsBus implements MessageBus {
  /** Acks of one turn go out back to back: one socket write for many (see TurnBatch). */
  private readonly acks = new TurnBatch<JsMsg>((messages) => {
    for (const message of messages) message.ack();
  });
  /** Publishes of one turn are sent back to back, all in flight together, each awaiting its own ack. */
  private readonly publishes = new TurnBatch<QueuedPublish>((queued) => {
    for (const item of queued) {
      const failed = (error: unknown) =>
        item.reject(
          error instanceof ReplyMissing && error.reason === 'no-responders'
            ? new NoStreamForSubjectError(item.callerSubject)
            : error instanceof ReplyMissing && error.reason === 'timeout'
              ? new RequestTimeoutError(item.callerSubject, PUBLISH_ACK_TIMEOUT_MS)
              : error,
        );
      try {
        this.replies
          .request(item.subject, item.data, item.headers, PUBLISH_ACK_TIMEOUT_MS)
          .then((reply) => {
            try {
              const ack = readPublishAck(item.callerSubject, reply.data);
              item.resolve({ ...ack, stream: this.names.unstream(ack.stream) });
            } catch (error) {
              failed(error);
            }
          }, failed);
      } catch (error) {
        failed(error);
      }
    }
  });
  private readonly replies: ReplyInbox;

  private constructor(
    private readonly connection: NatsConnection,
    private readonly manager: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly deadLetterWindowMs: number,
    private readonly names: Namespace,
    private readonly streamLimits: StreamLimits,
    private readonly warn: (message: string) => void,
  ) {
    this.replies = new ReplyInbox(connection);
  }

  /** Connects and creates the dead-letter stream; an unreachable server fails here, naming the URL. */
  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    let connection: NatsConnection;
    try {
      // No async stack traces: the client would build an Error for every request and publish.
      connection = await connect({
        servers: options.url,
        name: options.name ?? 'burndown',
        ...authOptions(options.auth),
        ...(options.tls === undefined ? {} : { tls: { ...options.tls } }),
        reconnect: true,
        maxReconnectAttempts: -1,
        noAsyncTraces: true,
      });
    } catch (error) {
      throw new Error(`cannot connect to NATS at ${options.url}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const manager = await connection.jetstreamManager();
    const bus = new NatsBus(
      connection,
      manager,
      connection.jetstream(),
      options.deadLetterWindowMs ?? DAY_MS,
      new Namespace(options.namespace ?? ''),
      options.streamLimits ?? UNBOUNDED_STREAMS,
      options.warn ?? (() => undefined),
    );
    await bus.ensureStream({
      name: DEAD_LETTER_STREAM,
      subjects: [`${DEAD_LETTER_SUBJECT_PREFIX}.>`],
      duplicateWindowMs: bus.deadLetterWindowMs,
    });
    return bus;
  }

  /** Deletes every stream of a namespace (test runs clean up after themselves with it). */
  static async removeNamespace(url: string, namespace: string): Promise<void> {
    if (namespace === '')
      throw new Error('refusing to remove the unnamed namespace: it is every stream on the server');
    const connection = await connect({ servers: url });
    try {
      const manager = await connection.jetstreamManager();
      for await (const stream of manager.streams.list()) {
        if (stream.config.name.startsWith(`${namespace}_`))
          await manager.streams.delete(stream.config.name);
      }
    } finally {
      await connection.close();
    }
  }

  async ensureStream(config: StreamConfig): Promise<StreamEnsured> {
    const name = this.names.stream(config.name);
    const limits = this.streamLimits;
    const wanted = {
      name,
      subjects: config.subjects.map((subject) => this.names.subject(subject)),
      duplicate_window: nanos(config.duplicateWindowMs),
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      // Dead letters wait for someone to re-drive them, however long that takes.
      max_age: config.name === DEAD_LETTER_STREAM ? 0 : nanos(limits.maxAgeMs),
      max_bytes: limits.maxBytes,
      // A full stream refuses a publish (the publisher answers 503) rather than drop what is stored.
      discard: DiscardPolicy.New,
      num_replicas: limits.replicas,
    };
    const info = () =>
      this.manager.streams.info(name).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
    let existing = await info();
    if (existing === undefined) {
      try {
        await this.manager.streams.add(wanted);
        return { created: true };
      } catch (error) {
        // Another process created it between the look and the add (services start together):
        // nats-server 2.9 then answers "subjects overlap with an existing stream".
        existing = await info();
        if (existing === undefined) throw error;
      }
    }
    const found = existing.config;
    const changed = streamDifferences(found, wanted);
    if (found.num_replicas !== wanted.num_replicas)
      this.warn(
        `NATS stream ${name} has ${found.num_replicas} replica(s), the settings ask for ${wanted.num_replicas}: left as it is (changing replicas is an operator's step on a cluster)`,
      );
    if (changed.length === 0) return { created: false };
    this.warn(`NATS stream ${name} differed from the settings (${changed.join('; ')}): updated`);
    await this.manager.streams.update(name, {
      subjects: wanted.subjects,
      duplicate_window: wanted.duplicate_window,
      max_age: wanted.max_age,
      max_bytes: wanted.max_bytes,
      discard: wanted.discard,
    });
    return { created: false };
  }

  async publish(subject: string, payload: JsonValue, options: PublishOptions): Promise<PublishAck> {
    const data = encodeJson(payload);
    const headers = toNatsHeaders(options.headers) ?? natsHeaders();
    headers.set(MSG_ID_HEADER, options.msgId);
    return new Promise<PublishAck>((resolve, reject) =>
      this.publishes.add({
        subject: this.names.subject(subject),
        data,
        headers,
        resolve,
        reject,
        callerSubject: subject,
      }),
    );
  }

  async consume(config: ConsumerConfig, handler: MessageHandler): Promise<Subscription> {
    // JetStream keeps each durable's state in the server; merging them is not offered here.
    if (config.takesOverFrom !== undefined && config.takesOverFrom.length > 0)
      throw new RangeError(
        `consumer ${config.durableName}: takesOverFrom is only supported by the embedded bus`,
      );
    await this.ensureConsumer(config);
    if (config.batchIntervalMs !== undefined && config.batchIntervalMs > 0)
      return this.consumeOnCadence(config, config.batchIntervalMs, handler);
    const consumer = await this.js.consumers.get(
      this.names.stream(config.stream),
      config.durableName,
    );
    const handling = new InFlightHandlers(config, (raw) => this.handle(config, raw, handler));
    const messages = await consumer.consume({
      max_messages: Math.max(handling.concurrency, 16),
    });
    const loop = (async () => {
      for await (const message of messages) {
        await handling.start(message);
      }
      await handling.settled();
    })();
    return {
      stop: async () => {
        handling.stopping = true;
        await messages.close();
        await loop;
      },
    };
  }

  async caughtUp(stream: string, durableName: string, timeoutMs: number): Promise<boolean> {
    const name = this.names.stream(stream);
    const target = (await this.manager.streams.info(name)).state.last_seq;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const consumer = await this.manager.consumers
        .info(name, durableName)
        .catch((error: unknown) => {
          if (isNotFound(error)) return undefined;
          throw error;
        });
      if (
        consumer !== undefined &&
        (consumer.ack_floor.stream_seq >= target ||
          (consumer.num_pending === 0 && consumer.num_ack_pending === 0))
      )
        return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, CAUGHT_UP_POLL_MS));
    }
  }

  /**
   * Pulls what is stored, without waiting for more (`no_wait`), then pauses for the interval: no
   * pull request is open while it pauses, so the server delivers nothing and nobody wakes. A pull
   * that comes back full goes again at once. (nats.js's newer consumer API has no `no_wait`.)
   *
   * Each pull asks for exactly as many as the consumer has pending (at least one, for a retry
   * that is due): the server then fills the request and closes it. A larger one stays open on the
   * server while messages keep coming, and nats.js's fetch ends its iterator as soon as the
   * consumer has nothing pending, dropping what the open request delivers afterwards; those
   * messages waited for the ack wait (30 s) while the consumer sat at its ack-pending limit.
   */
  private consumeOnCadence(
    config: ConsumerConfig,
    intervalMs: number,
    handler: MessageHandler,
  ): Subscription {
    const stream = this.names.stream(config.stream);
    const handling = new InFlightHandlers(config, (raw) => this.handle(config, raw, handler));
    const pause = new Pause();
    let failing = false;
    const loop = (async () => {
      while (!handling.stopping) {
        const room = handling.concurrency - handling.size;
        let taken = 0;
        try {
          if (room > 0) {
            const { num_pending: pending } = await this.manager.consumers.info(
              stream,
              config.durableName,
            );
            const wanted = Math.min(room, Math.max(1, pending));
            const batch = this.js.fetch(stream, config.durableName, {
              batch: wanted,
              no_wait: true,
            });
            for await (const message of batch) {
              taken++;
              await handling.start(message);
            }
          }
          failing = false;
        } catch (error) {
          // Said once per outage, not at every interval while the server is away.
          if (!handling.stopping && !failing)
            this.warn(
              `consumer ${config.durableName}: pull failed, trying again: ${String(error)}`,
            );
          failing = true;
        }
        if (room <= 0) await handling.oneSettled();
        else if (taken < room) await pause.for(intervalMs);
      }
      await handling.settled();
    })();
    return {
      stop: async () => {
        handling.stopping = true;
        pause.end();
        await loop;
      },
    };
  }

  async browse(stream: string, options: BrowseOptions): Promise<readonly BusMessage[]> {
    // An ephemeral, unacknowledged consumer: a read that moves no durable's progress.
    const streamName = this.names.stream(stream);
    const info = await this.manager.consumers.add(streamName, {
      ack_policy: AckPolicy.None,
      ...(options.afterSequence === undefined
        ? { deliver_policy: DeliverPolicy.All }
        : {
            deliver_policy: DeliverPolicy.StartSequence,
            opt_start_seq: Number(options.afterSequence) + 1,
          }),
      ...(options.filterSubject === undefined
        ? {}
        : { filter_subject: this.names.subject(options.filterSubject) }),
      inactive_threshold: nanos(30_000),
      mem_storage: true,
    });
    try {
      const wanted = Math.min(options.limit, info.num_pending);
      if (wanted <= 0) return [];
      const consumer = await this.js.consumers.get(streamName, info.name);
      const found: BusMessage[] = [];
      const batch = await consumer.fetch({ max_messages: wanted, expires: 2_000 });
      for await (const message of batch) {
        found.push(this.toBusMessage(message));
        if (found.length >= wanted) break;
      }
      return found;
    } finally {
      await this.manager.consumers.delete(streamName, info.name).catch(() => undefined);
    }
  }

  async request(
    subject: string,
    payload: JsonValue,
    options: { readonly timeoutMs: number; readonly headers?: Readonly<Record<string, string>> },
  ): Promise<JsonValue> {
    let reply;
    try {
      reply = await this.replies.request(
        this.names.subject(subject),
        encodeJson(payload),
        toNatsHeaders(options.headers),
        options.timeoutMs,
      );
    } catch (error) {
      if (error instanceof ReplyMissing && error.reason === 'no-responders')
        throw new NoResponderError(subject);
      if (error instanceof ReplyMissing && error.reason === 'timeout')
        throw new RequestTimeoutError(subject, options.timeoutMs);
      throw error;
    }
    const failure = reply.headers?.get(ERROR_HEADER);
    if (failure) throw new RemoteRequestError(subject, failure);
    return decodeJson(reply.data);
  }

  async respond(subject: string, handler: RequestHandler): Promise<Subscription> {
    const subscription = this.connection.subscribe(this.names.subject(subject), {
      queue: RESPONDER_QUEUE,
    });
    const answering = new Set<Promise<void>>();
    const loop = (async () => {
      for await (const request of subscription) {
        const answer = (async () => {
          try {
            const value = await handler(decodeJson(request.data), headersOf(request.headers));
            request.respond(encodeJson(value));
          } catch (error) {
            const reply = natsHeaders();
            reply.set(ERROR_HEADER, error instanceof Error ? error.message : String(error));
            request.respond(new Uint8Array(), { headers: reply });
          }
        })();
        answering.add(answer);
        void answer.finally(() => answering.delete(answer));
      }
    })();
    await this.connection.flush();
    return {
      stop: async () => {
        await subscription.drain();
        await loop;
        await Promise.all(answering);
      },
    };
  }

  async close(): Promise<void> {
    // The acks and publishes queued this turn go out before the connection drains.
    await new Promise((resolve) => setImmediate(resolve));
    // Their acks (and any request's reply) arrive or time out before the inbox goes.
    await this.replies.settled();
    this.replies.close();
    await this.connection.drain();
  }

  private async ensureConsumer(config: ConsumerConfig): Promise<void> {
    const wanted = {
      durable_name: config.durableName,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(config.ackWaitMs),
      // Unlimited on the server: this adapter dead-letters after config.maxDeliver itself.
      max_deliver: -1,
      deliver_policy: DeliverPolicy.All,
      // Never below what this process keeps in flight, or the server would hold the rest back.
      max_ack_pending: Math.max(1_000, config.maxInFlight ?? 1),
      ...(config.filterSubject === undefined
        ? {}
        : { filter_subject: this.names.subject(config.filterSubject) }),
    };
    const stream = this.names.stream(config.stream);
    const existing = await this.manager.consumers
      .info(stream, config.durableName)
      .catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
    if (existing === undefined) await this.manager.consumers.add(stream, wanted);
    else if (
      existing.config.ack_wait !== wanted.ack_wait ||
      existing.config.max_ack_pending !== wanted.max_ack_pending
    ) {
      await this.manager.consumers.update(stream, config.durableName, {
        ack_wait: wanted.ack_wait,
        max_ack_pending: wanted.max_ack_pending,
      });
    }
  }

  private async handle(config: ConsumerConfig, raw: JsMsg, handler: MessageHandler): Promise<void> {
    const message = this.toBusMessage(raw);
    try {
      if (message.deliveryCount > config.maxDeliver) {
        throw new Error(
          `delivered ${message.deliveryCount} times without an outcome (a handler or process died each time)`,
        );
      }
      await handler(message);
      this.acks.add(raw);
    } catch (error) {
      const permanent = error instanceof PermanentFailure;
      if (permanent || message.deliveryCount >= config.maxDeliver) {
        await this.deadLetter(config, message, error, permanent);
        this.acks.add(raw);
      } else {
        raw.nak(backoffMs(config, message.deliveryCount));
      }
    }
  }

  private async deadLetter(
    config: ConsumerConfig,
    message: BusMessage,
    error: unknown,
    permanent: boolean,
  ): Promise<void> {
    const detail = error instanceof Error ? error.message : String(error);
    const letter: DeadLetter = {
      stream: config.stream,
      consumer: config.durableName,
      subject: message.subject,
      msgId: message.msgId,
      sequence: message.sequence.toString(),
      deliveries: message.deliveryCount,
      reason: permanent
        ? `permanent failure: ${detail}`
        : `failed ${message.deliveryCount} times: ${detail}`,
      payload: message.payload,
      headers: message.headers,
      failedAt: new Date().toISOString(),
    };
    // Acked by JetStream before the original is acked: a crash in between dead-letters it again, deduplicated.
    await this.publish(deadLetterSubject(config.durableName), letter, {
      msgId: `${config.stream}:${config.durableName}:${message.sequence}`,
    });
  }

  private toBusMessage(message: JsMsg): BusMessage {
    let payload: JsonValue;
    try {
      payload = decodeJson(message.data);
    } catch {
      payload = new TextDecoder().decode(message.data);
    }
    return {
      stream: this.names.unstream(message.info.stream),
      subject: this.names.unsubject(message.subject),
      msgId: message.headers?.get('Nats-Msg-Id') ?? String(message.seq),
      sequence: BigInt(message.seq),
      payload,
      headers: headersOf(message.headers),
      deliveryCount: message.info.deliveryCount,
      publishedAt: new Date(Math.floor(message.info.timestampNanos / 1_000_000)),
    };
  }
}

/** How often caughtUp() asks the server how far a durable got. */
const CAUGHT_UP_POLL_MS = 20;

/** The handlers a consumer runs at once, at most `concurrency`. */
class InFlightHandlers {
  stopping = false;
  readonly concurrency: number;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly config: ConsumerConfig,
    private readonly handle: (message: JsMsg) => Promise<void>,
  ) {
    this.concurrency = config.maxInFlight ?? 1;
  }

  get size(): number {
    return this.running.size;
  }

  /** Starts the handler, then waits while the consumer is at its bound. */
  async start(message: JsMsg): Promise<void> {
    // Taken but not started when stop() came: back to the server at once for the next consumer.
    if (this.stopping) {
      message.nak();
      return;
    }
    // Only a failed dead-letter publish gets here: the message is delivered again later.
    const handled = this.handle(message).catch(() =>
      message.nak(backoffMs(this.config, message.info.redeliveryCount)),
    );
    this.running.add(handled);
    void handled.finally(() => this.running.delete(handled));
    if (this.running.size >= this.concurrency) await this.oneSettled();
  }

  oneSettled(): Promise<void> {
    return this.running.size === 0 ? Promise.resolve() : Promise.race(this.running);
  }

  settled(): Promise<unknown> {
    return Promise.all(this.running);
  }
}

/** A timed wait that stop() can cut short. */
class Pause {
  private cut: (() => void) | undefined;
  private ended = false;

  for(ms: number): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.cut = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.cut = done;
    });
  }

  /** Ends this pause and every later one. */
  end(): void {
    this.ended = true;
    this.cut?.();
  }
}

function toNatsHeaders(record: Readonly<Record<string, string>> | undefined) {
  if (record === undefined || Object.keys(record).length === 0) return undefined;
  const headers = natsHeaders();
  for (const [key, value] of Object.entries(record)) headers.set(key, value);
  return headers;
}

const backoffMs = (config: ConsumerConfig, deliveryCount: number): number =>
  config.backoffMs[Math.min(deliveryCount - 1, config.backoffMs.length - 1)] ?? 1_000;

const isNotFound = (error: unknown): boolean =>
  error instanceof NatsError &&
  (error.api_error?.err_code === 10059 ||
    error.api_error?.err_code === 10014 ||
    /not found/i.test(error.message));

/** Maps the bus's names to a namespace on the server and back. */
class Namespace {
  constructor(private readonly prefix: string) {}
  stream = (name: string): string => (this.prefix === '' ? name : `${this.prefix}_${name}`);
  unstream = (name: string): string =>
    this.prefix === '' ? name : name.slice(this.prefix.length + 1);
  subject = (subject: string): string =>
    this.prefix === '' ? subject : `${this.prefix}.${subject}`;
  unsubject = (subject: string): string =>
    this.prefix === '' ? subject : subject.slice(this.prefix.length + 1);
}
