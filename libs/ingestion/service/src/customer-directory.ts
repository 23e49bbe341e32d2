import { Inject, Injectable } from '@nestjs/common';
import { MESSAGE_BUS, requests, type MessageBus } from '@burndown/ports';

const LOOKUP_TIMEOUT_MS = 2_000;
const MAX_CACHED_CUSTOMERS = 100_000;

/**
 * Which customers exist, asked of the wallets service over request/reply. Only positive answers
 * are cached: customers are never deleted, and a customer created a moment ago must be seen.
 */
@Injectable()
export class CustomerDirectory {
  private readonly known = new Set<string>();
  /** Lookups on their way: a batch of a thousand events of one customer asks once. */
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  async exists(customerId: string): Promise<boolean> {
    if (this.known.has(customerId)) return true;
    let answer = this.asking.get(customerId);
    if (answer === undefined) {
      answer = this.ask(customerId).finally(() => this.asking.delete(customerId));
      this.asking.set(customerId, answer);
    }
    return answer;
  }

  private async ask(customerId: string): Promise<boolean> {
    const reply = await this.bus.request(
      requests.customerLookup,
      { customerId },
      { timeoutMs: LOOKUP_TIMEOUT_MS },
    );
    const exists = (reply as { exists?: unknown } | null)?.exists === true;
    if (exists) this.remember(customerId);
    return exists;
  }

  private remember(customerId: string): void {
    if (this.known.size >= MAX_CACHED_CUSTOMERS) this.known.clear();
    this.known.add(customerId);
  }
}
