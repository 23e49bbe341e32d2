import type {
  BrowseOptions,
  BusMessage,
  ConsumerConfig,
  JsonValue,
  MessageBus,
  MessageHandler,
  PublishAck,
  PublishOptions,
  RequestHandler,
  StreamConfig,
  StreamEnsured,
  Subscription,
} from '@burndown/ports';

/** A bus that logs every publish by message id and refuses the first attempt of the ids it is told to. */
export class RecordingBus implements MessageBus {
  readonly attempts: string[] = [];
  readonly acknowledged: string[] = [];
  private readonly refuseOnce = new Set<string>();

  constructor(
    private readonly inner: MessageBus,
    private readonly onAcknowledged: (msgId: string) => void = () => undefined,
  ) {}

  refuseFirstPublishOf(msgId: string): void {
    this.refuseOnce.add(msgId);
  }

  async publish(subject: string, payload: JsonValue, options: PublishOptions): Promise<PublishAck> {
    this.attempts.push(options.msgId);
    if (this.refuseOnce.delete(options.msgId)) throw new Error('bus unavailable');
    const ack = await this.inner.publish(subject, payload, options);
    this.acknowledged.push(options.msgId);
    this.onAcknowledged(options.msgId);
    return ack;
  }

  ensureStream(config: StreamConfig): Promise<StreamEnsured> {
    return this.inner.ensureStream(config);
  }
  consume(config: ConsumerConfig, handler: MessageHandler): Promise<Subscription> {
    return this.inner.consume(config, handler);
  }
  caughtUp(stream: string, durableName: string, timeoutMs: number): Promise<boolean> {
    return this.inner.caughtUp(stream, durableName, timeoutMs);
  }
  browse(stream: string, options: BrowseOptions): Promise<readonly BusMessage[]> {
    return this.inner.browse(stream, options);
  }
  request(
    subject: string,
    payload: JsonValue,
    options: { readonly timeoutMs: number; readonly headers?: Readonly<Record<string, string>> },
  ): Promise<JsonValue> {
    return this.inner.request(subject, payload, options);
  }
  respond(subject: string, handler: RequestHandler): Promise<Subscription> {
    return this.inner.respond(subject, handler);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
