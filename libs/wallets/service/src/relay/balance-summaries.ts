import { balanceSummaryOf, type IntegrationMessage } from './integration-event';

interface Owed {
  /** The wallet event message whose standing the summary repeats; built when published. */
  message: IntegrationMessage;
  headers: Record<string, string>;
  readonly published: Promise<unknown>;
  settle(published: Promise<unknown>): void;
}

/**
 * The `balance-changed` summaries a relay owes, one per wallet for all the events it handled in
 * one turn of the event loop: a page of a hot wallet's events is one summary, not one per event.
 * Each event's promise settles with the publish of a summary at or after it, so its checkpoint
 * still passes only once the wallet's standing after it was published. A walk that repeats may
 * group differently and publish a summary more; consumers keep the highest revision.
 */
export class BalanceSummaries {
  private owed = new Map<string, Owed>();
  private scheduled = false;

  constructor(
    private readonly publish: (
      message: IntegrationMessage,
      headers: Record<string, string>,
    ) => Promise<unknown>,
  ) {}

  /** The standing after `message` replaces any summary of `walletId` owed since the last publish. */
  owe(
    walletId: string,
    message: IntegrationMessage,
    headers: Record<string, string>,
  ): Promise<unknown> {
    const owed = this.owed.get(walletId);
    if (owed !== undefined) {
      owed.message = message;
      owed.headers = headers;
      return owed.published;
    }
    let settle!: (published: Promise<unknown>) => void;
    const published = new Promise<unknown>((resolve) => (settle = resolve));
    this.owed.set(walletId, { message, headers, published, settle });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.publishOwed());
    }
    return published;
  }

  private publishOwed(): void {
    this.scheduled = false;
    const owed = this.owed;
    this.owed = new Map();
    for (const [walletId, summary] of owed)
      summary.settle(this.publish(balanceSummaryOf(walletId, summary.message), summary.headers));
  }
}
