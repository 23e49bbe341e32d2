export interface HttpPlatformOptions {
  /** Names the service in `GET /health`. */
  readonly serviceName: string;
  /** How long an Idempotency-Key is remembered. Default 35 days, the dedupe horizon of DESIGN.md §3. */
  readonly idempotencyTtlMs?: number;
  /** How long a successful API-key lookup is trusted without asking the read store. Default 5 s. */
  readonly apiKeyCacheTtlMs?: number;
}

export type ResolvedHttpPlatformOptions = Required<HttpPlatformOptions>;

export const HTTP_PLATFORM_OPTIONS = Symbol.for('burndown.HttpPlatformOptions');

export const DEFAULT_IDEMPOTENCY_TTL_MS = 35 * 86_400_000;
export const DEFAULT_API_KEY_CACHE_TTL_MS = 5_000;

export function resolveHttpPlatformOptions(
  options: HttpPlatformOptions,
): ResolvedHttpPlatformOptions {
  if (options.serviceName.trim() === '')
    throw new RangeError('HttpPlatformModule needs a serviceName');
  return {
    serviceName: options.serviceName,
    idempotencyTtlMs: options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS,
    apiKeyCacheTtlMs: options.apiKeyCacheTtlMs ?? DEFAULT_API_KEY_CACHE_TTL_MS,
  };
}
