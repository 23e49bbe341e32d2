import {
  everyDocument,
  systemClock,
  type Clock,
  type JsonObject,
  type Page,
  type ReadStore,
} from '@burndown/ports';
import { isScope, type Scope } from '../auth/scopes';
import { findPage, type PageRequest } from '../pagination/find-page';
import { generateApiKey, hashApiKey, randomBase62 } from './api-key-secret';

export const API_KEYS_COLLECTION = 'api_keys';
/** What newKeyId makes: the id a key is listed, revoked and rotated by (never its secret). */
export const KEY_ID_PATTERN = /^key_[0-9A-Za-z]{16}$/;

/** What is stored for a key (under the SHA-256 of the key) and what listings show. Never the secret. */
export interface ApiKeyRecord {
  readonly keyId: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: string;
  /** From then on the key is refused everywhere; null: it does not expire. */
  readonly expiresAt: string | null;
  /** When it was revoked (refused from then on); null while it is not. */
  readonly revokedAt: string | null;
  /** The one customer the key serves; null: every customer. */
  readonly customerId: string | null;
}

export interface CreatedApiKey {
  /** The plaintext key: shown to its creator once, never stored. */
  readonly key: string;
  readonly record: ApiKeyRecord;
}

export class ApiKeyConflictError extends Error {
  override readonly name = 'ApiKeyConflictError';
}

/** API keys in the read store: collection `api_keys`, document id = SHA-256 hex of the key. */
export class ApiKeyRepository {
  constructor(
    private readonly readStore: ReadStore,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(
    name: string,
    scopes: readonly Scope[],
    key: string = generateApiKey(),
    expiresAt: Date | null = null,
    customerId: string | null = null,
  ): Promise<CreatedApiKey> {
    const record: ApiKeyRecord = {
      keyId: newKeyId(),
      name,
      scopes: [...new Set(scopes)],
      createdAt: this.clock.now().toISOString(),
      expiresAt: expiresAt === null ? null : expiresAt.toISOString(),
      revokedAt: null,
      customerId,
    };
    if (!(await this.store(hashApiKey(key), record)))
      throw new Error('an API key with this secret already exists');
    return { key, record };
  }

  /**
   * Stores a key another service created, by its hash: services keep keys in their own stores, and
   * one key must work on all of them. Importing the same key again changes nothing.
   */
  async adopt(keyHash: string, record: ApiKeyRecord): Promise<void> {
    if (await this.store(keyHash, record)) return;
    const stored = await this.findByHash(keyHash);
    if (
      stored === undefined ||
      JSON.stringify(toDocument(stored)) !== JSON.stringify(toDocument(record))
    ) {
      throw new ApiKeyConflictError(`a different key is already stored under hash ${keyHash}`);
    }
  }

  /**
   * Marks the key revoked. Revoking it again changes nothing and answers the first revocation;
   * undefined: no such key.
   */
  revoke(keyId: string): Promise<ApiKeyRecord | undefined> {
    return this.revise(keyId, (record) =>
      record.revokedAt !== null ? record : { ...record, revokedAt: this.clock.now().toISOString() },
    );
  }

  /** Brings the key's expiry forward to `at` (a rotation's overlap ending); never later. */
  retire(keyId: string, at: Date): Promise<ApiKeyRecord | undefined> {
    return this.revise(keyId, (record) =>
      record.expiresAt !== null && Date.parse(record.expiresAt) <= at.getTime()
        ? record
        : { ...record, expiresAt: at.toISOString() },
    );
  }

  /** One change to a stored key, as the next version of its document (none when unchanged). */
  private async revise(
    keyId: string,
    change: (record: ApiKeyRecord) => ApiKeyRecord,
  ): Promise<ApiKeyRecord | undefined> {
    const found = await this.findStoredById(keyId);
    if (found === undefined) return undefined;
    const changed = change(found.record);
    if (changed === found.record) return found.record;
    await this.readStore.apply({
      writes: [
        {
          collection: API_KEYS_COLLECTION,
          id: found.keyHash,
          version: found.version + 1n,
          document: toDocument(changed),
        },
      ],
    });
    return (await this.findStoredById(keyId))?.record;
  }

  /** Keys that work now: not revoked, not expired. */
  async live(now: Date): Promise<ApiKeyRecord[]> {
    const live: ApiKeyRecord[] = [];
    for await (const { document } of everyDocument(this.readStore, API_KEYS_COLLECTION, {}, 500)) {
      const record = toRecord(document);
      if (record !== undefined && isLive(record, now)) live.push(record);
    }
    return live;
  }

  private async findStoredById(
    keyId: string,
  ): Promise<{ keyHash: string; version: bigint; record: ApiKeyRecord } | undefined> {
    const { items } = await this.readStore.find(API_KEYS_COLLECTION, {
      where: { keyId },
      limit: 1,
    });
    const stored = items[0];
    const record = stored === undefined ? undefined : toRecord(stored.document);
    return stored === undefined || record === undefined
      ? undefined
      : { keyHash: stored.id, version: stored.version, record };
  }

  private async store(keyHash: string, record: ApiKeyRecord): Promise<boolean> {
    const { applied } = await this.readStore.apply({
      // Keys are never rewritten, so the first version is the only one.
      writes: [
        { collection: API_KEYS_COLLECTION, id: keyHash, version: 1n, document: toDocument(record) },
      ],
    });
    return applied === 1;
  }

  findByKey(key: string): Promise<ApiKeyRecord | undefined> {
    return this.findByHash(hashApiKey(key));
  }

  async findById(keyId: string): Promise<ApiKeyRecord | undefined> {
    return (await this.findStoredById(keyId))?.record;
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const stored = await this.readStore.get(API_KEYS_COLLECTION, keyHash);
    return stored === undefined ? undefined : toRecord(stored.document);
  }

  async list(page: PageRequest): Promise<Page<ApiKeyRecord>> {
    const found = await findPage(this.readStore, API_KEYS_COLLECTION, page);
    const items = found.items
      .map((stored) => toRecord(stored.document))
      .filter((record) => record !== undefined);
    return found.nextCursor === undefined ? { items } : { items, nextCursor: found.nextCursor };
  }

  async isEmpty(): Promise<boolean> {
    return (await this.readStore.find(API_KEYS_COLLECTION, { limit: 1 })).items.length === 0;
  }
}

function toDocument(record: ApiKeyRecord): JsonObject {
  return {
    keyId: record.keyId,
    name: record.name,
    scopes: [...record.scopes],
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    customerId: record.customerId,
  };
}

/** Neither revoked nor past its expiry at `now`. */
export function isLive(record: ApiKeyRecord, now: Date): boolean {
  return (
    record.revokedAt === null &&
    (record.expiresAt === null || Date.parse(record.expiresAt) > now.getTime())
  );
}

/** Read defensively: a document someone edited by hand must not grant scopes it does not name. */
function toRecord(document: JsonObject): ApiKeyRecord | undefined {
  const {
    keyId,
    name,
    scopes,
    createdAt,
    expiresAt = null,
    revokedAt = null,
    customerId = null,
  } = document;
  if (typeof keyId !== 'string' || typeof name !== 'string' || typeof createdAt !== 'string')
    return undefined;
  if (!Array.isArray(scopes)) return undefined;
  // Keys stored before expiry existed have no expiresAt: they do not expire.
  if (expiresAt !== null && typeof expiresAt !== 'string') return undefined;
  if (revokedAt !== null && typeof revokedAt !== 'string') return undefined;
  if (customerId !== null && typeof customerId !== 'string') return undefined;
  return {
    keyId,
    name,
    scopes: scopes.filter(isScope),
    createdAt,
    expiresAt,
    revokedAt,
    customerId,
  };
}

function newKeyId(): string {
  return `key_${randomBase62(16)}`;
}
