/** A running subscription or consumer; stop() resolves once no handler is in flight. */
export interface Subscription {
  stop(): Promise<void>;
}
