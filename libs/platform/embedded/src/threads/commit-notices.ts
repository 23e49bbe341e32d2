import { BroadcastChannel } from 'node:worker_threads';

/**
 * "Something was committed to <topic>" for every listener of one database: those of this thread at
 * once, and, once `connect`ed, those of the other threads of the process that write the same file
 * (a BroadcastChannel per database; one message per topic per turn of the event loop, however many
 * commits it saw). Consumers and subscriptions wake on a notice instead of waiting for their poll.
 */
export class CommitNotices {
  private readonly listeners = new Map<string, Set<() => void>>();
  private channel: BroadcastChannel | undefined;
  private readonly toPost = new Set<string>();
  private posting = false;

  /** From now on notices reach, and come from, every thread connected under `name`. */
  connect(name: string): void {
    if (this.channel !== undefined) return;
    const channel = new BroadcastChannel(name);
    channel.onmessage = (event) => {
      for (const topic of (event as { readonly data: readonly string[] }).data) this.deliver(topic);
    };
    // A channel alone never keeps a process (or a worker) alive.
    channel.unref();
    this.channel = channel;
  }

  /** Returns the call that stops listening. */
  listen(topic: string, listener: () => void): () => void {
    let forTopic = this.listeners.get(topic);
    if (forTopic === undefined) {
      forTopic = new Set();
      this.listeners.set(topic, forTopic);
    }
    forTopic.add(listener);
    return () => forTopic.delete(listener);
  }

  announce(topic: string): void {
    this.deliver(topic);
    if (this.channel === undefined) return;
    this.toPost.add(topic);
    if (this.posting) return;
    this.posting = true;
    setImmediate(() => {
      this.posting = false;
      const topics = [...this.toPost];
      this.toPost.clear();
      this.channel?.postMessage(topics);
    });
  }

  close(): void {
    this.channel?.close();
    this.channel = undefined;
  }

  private deliver(topic: string): void {
    const forTopic = this.listeners.get(topic);
    if (forTopic !== undefined) for (const listener of forTopic) listener();
  }
}
