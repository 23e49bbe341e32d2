import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';

/** How a request ended without a reply; the bus turns each into its port error. */
export class ReplyMissing extends Error {
  override readonly name = 'ReplyMissing';
  constructor(readonly reason: 'no-responders' | 'timeout' | 'closed') {
    super(`no reply: ${reason}`);
  }
}

interface Pending {
  readonly deadline: number;
  resolve(reply: Msg): void;
  reject(error: ReplyMissing): void;
}

const SWEEP_EVERY_MS = 25;
const NO_RESPONDERS = 503;

/**
 * Request/reply over one inbox subscription, each request told apart by a number at the end of
 * its reply subject, and every deadline kept by one sweep timer.
 *
 * Why not the client's own `request()` (which JetStream's `publish()` uses too): nats.js 2.29
 * builds a `NatsError`, stack trace and all, as every request completes (`RequestOne.cancel`
 * rejects its already-resolved promise), even with `noAsyncTraces`. Profiles put that at 5–13 %
 * of a distributed service's time under load, where every publish is such a request.
 */
export class ReplyInbox {
  private readonly prefix = createInbox();
  private readonly pending = new Map<number, Pending>();
  private readonly subscription: Subscription;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly whenSettled: Array<() => void> = [];
  private nextToken = 1;
  private closed = false;

  constructor(private readonly connection: NatsConnection) {
    this.subscription = connection.subscribe(`${this.prefix}.*`, {
      callback: (error, reply) => {
        if (error === null) this.settle(reply);
      },
    });
  }

  request(
    subject: string,
    data: Uint8Array,
    headers: MsgHdrs | undefined,
    timeoutMs: number,
  ): Promise<Msg> {
    if (this.closed) return Promise.reject(new ReplyMissing('closed'));
    const token = this.nextToken++;
    return new Promise<Msg>((resolve, reject) => {
      this.pending.set(token, { deadline: Date.now() + timeoutMs, resolve, reject });
      this.sweeper ??= setInterval(() => this.expire(), SWEEP_EVERY_MS).unref();
      try {
        this.connection.publish(subject, data, { reply: `${this.prefix}.${token}`, headers });
      } catch (error) {
        this.pending.delete(token);
        throw error;
      }
    });
  }

  /** Resolves once every request in flight has its reply or has passed its deadline. */
  settled(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.whenSettled.push(resolve));
  }

  /** Fails whatever still waits: the connection is going away. */
  close(): void {
    this.closed = true;
    this.subscription.unsubscribe();
    for (const waiting of this.pending.values()) waiting.reject(new ReplyMissing('closed'));
    this.pending.clear();
    this.becameIdle();
  }

  private settle(reply: Msg): void {
    const token = Number(reply.subject.slice(this.prefix.length + 1));
    const waiting = this.pending.get(token);
    if (waiting === undefined) return; // answered after its deadline
    this.pending.delete(token);
    if (reply.data.length === 0 && reply.headers?.code === NO_RESPONDERS)
      waiting.reject(new ReplyMissing('no-responders'));
    else waiting.resolve(reply);
    if (this.pending.size === 0) this.becameIdle();
  }

  private expire(): void {
    const now = Date.now();
    for (const [token, waiting] of this.pending) {
      if (waiting.deadline > now) continue;
      this.pending.delete(token);
      waiting.reject(new ReplyMissing('timeout'));
    }
    if (this.pending.size === 0) this.becameIdle();
  }

  private becameIdle(): void {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const resolve of this.whenSettled.splice(0)) resolve();
  }
}
