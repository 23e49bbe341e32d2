import type { ServiceName } from '../distributed/services';

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly retryAfterSeconds: number | undefined;
}

/** A usage event as `POST /v1/events/batch` takes it. */
export interface UsageEvent {
  readonly id: string;
  readonly customerId: string;
  readonly type: string;
  readonly quantity: string;
  readonly timestamp?: string;
}

export interface LedgerLine {
  readonly revision: string;
  readonly entryType: string;
  readonly amount: string;
  readonly usageEventId?: string;
  readonly balanceAfter?: string;
}

export interface WalletView {
  readonly balance: string;
  readonly revision: string | null;
}

export interface Verification {
  readonly intact: boolean;
  readonly events?: number;
  readonly brokenAtRevision?: string;
  readonly reason?: string;
}

export interface DeadLetter {
  readonly sequence: string;
  readonly stream: string;
  readonly consumer: string;
  readonly subject: string;
  readonly msgId: string;
  readonly reason: string;
  readonly payload: unknown;
  readonly failedAt: string;
}

const PAGE_LIMIT = 200;

/**
 * The services over HTTP and nothing else: the harness is a black box test, so it keeps working
 * while the services' internals change.
 */
export class BurndownApi {
  constructor(
    private readonly urlOf: (service: ServiceName) => string,
    private readonly apiKey: string,
  ) {}

  async call(
    service: ServiceName,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    timeoutMs = 30_000,
  ): Promise<ApiResponse> {
    const response = await fetch(`${this.urlOf(service)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the report.
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      status: response.status,
      body: parsed,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    };
  }

  postBatch(events: readonly UsageEvent[]): Promise<ApiResponse> {
    return this.call('ingestion', 'POST', '/v1/events/batch', { events });
  }

  async createCustomer(id: string, name: string): Promise<void> {
    expectStatus(
      await this.call(
        'wallets',
        'POST',
        '/v1/customers',
        { id, name },
        { 'idempotency-key': `customer-${id}` },
      ),
      [201],
      `create customer ${id}`,
    );
  }

  async grant(walletId: string, grantId: string, amount: bigint): Promise<void> {
    const response = await this.call(
      'wallets',
      'POST',
      `/v1/wallets/${walletId}/grants`,
      { amount: amount.toString(), kind: 'purchased' },
      { 'idempotency-key': grantId },
    );
    expectStatus(response, [200, 201], `grant ${grantId} to ${walletId}`);
  }

  /** Balance and revision folded from the wallet's own stream: the authoritative figures. */
  async wallet(walletId: string): Promise<WalletView> {
    const response = expectStatus(
      await this.call('wallets', 'GET', `/v1/wallets/${walletId}`),
      [200],
      `wallet ${walletId}`,
    );
    return response.body as WalletView;
  }

  async verification(walletId: string): Promise<Verification> {
    const response = expectStatus(
      await this.call(
        'wallets',
        'GET',
        `/v1/wallets/${walletId}/verification`,
        undefined,
        {},
        120_000,
      ),
      [200],
      `verify ${walletId}`,
    );
    return response.body as Verification;
  }

  /** One page of the ledger projection, oldest first. */
  async ledgerPage(
    walletId: string,
    cursor: string | undefined,
  ): Promise<{ data: LedgerLine[]; nextCursor: string | null }> {
    const query = `limit=${PAGE_LIMIT}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const response = expectStatus(
      await this.call('wallets', 'GET', `/v1/wallets/${walletId}/ledger?${query}`),
      [200],
      `ledger of ${walletId}`,
    );
    return response.body as { data: LedgerLine[]; nextCursor: string | null };
  }

  async ledger(walletId: string): Promise<LedgerLine[]> {
    const lines: LedgerLine[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.ledgerPage(walletId, cursor);
      lines.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return lines;
  }

  /** Every dead letter as one service lists it (they all browse the bus's one dead-letter stream). */
  async deadLetters(service: ServiceName): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    let cursor: string | undefined;
    do {
      const query = `limit=${PAGE_LIMIT}${cursor === undefined ? '' : `&cursor=${cursor}`}`;
      const response = expectStatus(
        await this.call(service, 'GET', `/v1/dead-letters?${query}`),
        [200],
        `dead letters of ${service}`,
      );
      const page = response.body as { data: DeadLetter[]; nextCursor: string | null };
      letters.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return letters;
  }

  async healthy(service: ServiceName): Promise<boolean> {
    try {
      return (await this.call(service, 'GET', '/health', undefined, {}, 2_000)).status === 200;
    } catch {
      return false;
    }
  }
}

function expectStatus(response: ApiResponse, wanted: readonly number[], what: string): ApiResponse {
  if (!wanted.includes(response.status))
    throw new Error(
      `${what}: HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`,
    );
  return response;
}

/** Retries a read a few times: the audit should not fail on one refused connection. */
export async function withRetries<T>(
  what: string,
  attempt: () => Promise<T>,
  tries = 5,
): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (round >= tries)
        throw new Error(`${what} failed ${tries} times: ${(error as Error).message}`, {
          cause: error,
        });
      await new Promise((wake) => setTimeout(wake, 1_000 * round));
    }
  }
}
