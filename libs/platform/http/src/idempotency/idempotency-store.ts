import type { Clock, JsonObject, ReadStore } from '@burndown/ports';

export const IDEMPOTENCY_COLLECTION = 'idempotency_records';

/** The first successful response to an Idempotency-Key, with what identifies its request. */
export interface IdempotencyRecord {
  /** SHA-256 of the request's query and body (canonical JSON). */
  readonly fingerprint: string;
  readonly status: number;
  /** The response body as sent (JSON text); absent when there was none or it held a secret. */
  readonly body?: string;
  readonly secret: boolean;
  readonly createdAt: string;
}

/** Idempotency records in the read store; a record older than the TTL counts as absent. */
export class IdempotencyStore {
  constructor(
    private readonly readStore: ReadStore,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async get(id: string): Promise<IdempotencyRecord | undefined> {
    const stored = await this.readStore.get(IDEMPOTENCY_COLLECTION, id);
    const record = stored === undefined ? undefined : toRecord(stored.document);
    if (record === undefined) return undefined;
    const ageMs = this.clock.now().getTime() - Date.parse(record.createdAt);
    return ageMs < this.ttlMs ? record : undefined;
  }

  async save(id: string, record: Omit<IdempotencyRecord, 'createdAt'>): Promise<void> {
    const now = this.clock.now();
    const document: JsonObject = { ...record, createdAt: now.toISOString() };
    // The time as version lets a record written after an expired one replace it.
    await this.readStore.apply({
      writes: [
        { collection: IDEMPOTENCY_COLLECTION, id, version: BigInt(now.getTime()), document },
      ],
    });
  }
}

function toRecord(document: JsonObject): IdempotencyRecord | undefined {
  const { fingerprint, status, body, secret, createdAt } = document;
  if (
    typeof fingerprint !== 'string' ||
    typeof status !== 'number' ||
    typeof createdAt !== 'string'
  )
    return undefined;
  return {
    fingerprint,
    status,
    ...(typeof body === 'string' ? { body } : {}),
    secret: secret === true,
    createdAt,
  };
}
