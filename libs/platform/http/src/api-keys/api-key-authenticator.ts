import { Inject, Injectable } from '@nestjs/common';
import type { ApiPrincipal } from '../auth/principal';
import { HTTP_PLATFORM_OPTIONS, type ResolvedHttpPlatformOptions } from '../http-platform.options';
import { ApiKeyRepository, isLive } from './api-key-repository';
import { hashApiKey, looksLikeApiKey } from './api-key-secret';

/** Bounds the cache however many distinct keys call. */
const MAX_CACHED_KEYS = 10_000;

/**
 * Resolves a presented key to its principal. The key is hashed and the hash is the lookup id, so
 * no stored secret is ever compared byte by byte: a timing difference could only reveal facts about
 * SHA-256 outputs of the attacker's own guesses, which is why no constant-time comparison is needed.
 */
@Injectable()
export class ApiKeyAuthenticator {
  // Only hits are cached: a key created a moment ago must work at once. A hit is kept no longer
  // than the key's own expiry.
  private readonly cache = new Map<
    string,
    { readonly principal: ApiPrincipal; readonly expiresAtMs: number }
  >();

  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(HTTP_PLATFORM_OPTIONS) private readonly options: ResolvedHttpPlatformOptions,
  ) {}

  /** A revoked key's cached hit goes at once (in this process; every service is told). */
  forget(keyId: string): void {
    for (const [keyHash, cached] of this.cache)
      if (cached.principal.keyId === keyId) this.cache.delete(keyHash);
  }

  async authenticate(key: string): Promise<ApiPrincipal | undefined> {
    if (!looksLikeApiKey(key)) return undefined;
    // Cached by hash, so plaintext keys do not linger in memory.
    const keyHash = hashApiKey(key);
    const nowMs = Date.now();
    const cached = this.cache.get(keyHash);
    if (cached !== undefined && cached.expiresAtMs > nowMs) return cached.principal;
    this.cache.delete(keyHash);

    const record = await this.keys.findByHash(keyHash);
    if (record === undefined) return undefined;
    if (!isLive(record, new Date(nowMs))) return undefined;
    const expiresAtMs = record.expiresAt === null ? Infinity : Date.parse(record.expiresAt);
    const principal: ApiPrincipal = {
      keyId: record.keyId,
      name: record.name,
      scopes: record.scopes,
      customerId: record.customerId,
    };
    if (this.cache.size >= MAX_CACHED_KEYS) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(keyHash, {
      principal,
      expiresAtMs: Math.min(nowMs + this.options.apiKeyCacheTtlMs, expiresAtMs),
    });
    return principal;
  }
}
