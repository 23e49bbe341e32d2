import { resolve } from 'node:path';
import { ConfigError, integer } from './config-values';

const DAY_MS = 86_400_000;
/** Unless set, streams keep messages this long, or the dedupe horizon if that is longer. */
export const DEFAULT_NATS_STREAM_MAX_AGE_DAYS = 90;

/** How Burndown proves who it is to the NATS server (one way at most). */
export type NatsAuthSettings =
  | { readonly kind: 'none' }
  | { readonly kind: 'user'; readonly user: string; readonly password: string }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'nkey'; readonly seedFile: string }
  | { readonly kind: 'creds'; readonly credsFile: string };

export interface NatsSettings {
  readonly auth: NatsAuthSettings;
  /** PEM files; a CA alone verifies the server, a certificate and key also identify Burndown. */
  readonly tls:
    { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string } | undefined;
  /** Applied to every stream Burndown creates, at each start. */
  readonly streams: {
    /** Older messages are removed; never shorter than the dedupe horizon (its duplicate window). */
    readonly maxAgeMs: number;
    /** -1: unbounded. Otherwise a full stream refuses new messages (publishers answer 503), it never drops old ones. */
    readonly maxBytes: number;
    readonly replicas: number;
  };
}

const fail = (message: string): never => {
  throw new ConfigError(message);
};

/** BURNDOWN_NATS_* credentials, TLS files and stream limits, each mistake named by its variable. */
export function natsSettings(env: NodeJS.ProcessEnv, dedupeHorizonMs: number): NatsSettings {
  return {
    auth: natsAuth(env),
    tls: natsTls(env),
    streams: natsStreams(env, dedupeHorizonMs),
  };
}

function natsAuth(env: NodeJS.ProcessEnv): NatsAuthSettings {
  const set = (name: string) => (env[name] ? name : undefined);
  const chosen = [
    set('BURNDOWN_NATS_USER') ?? set('BURNDOWN_NATS_PASSWORD'),
    set('BURNDOWN_NATS_TOKEN'),
    set('BURNDOWN_NATS_NKEY_SEED_FILE'),
    set('BURNDOWN_NATS_CREDS_FILE'),
  ].filter((name) => name !== undefined);
  if (chosen.length > 1) fail(`set one way to authenticate to NATS, not ${chosen.join(' and ')}`);
  if (env.BURNDOWN_NATS_USER || env.BURNDOWN_NATS_PASSWORD) {
    if (!env.BURNDOWN_NATS_USER || !env.BURNDOWN_NATS_PASSWORD)
      fail('BURNDOWN_NATS_USER and BURNDOWN_NATS_PASSWORD go together');
    return {
      kind: 'user',
      user: env.BURNDOWN_NATS_USER as string,
      password: env.BURNDOWN_NATS_PASSWORD as string,
    };
  }
  if (env.BURNDOWN_NATS_TOKEN) return { kind: 'token', token: env.BURNDOWN_NATS_TOKEN };
  if (env.BURNDOWN_NATS_NKEY_SEED_FILE)
    return { kind: 'nkey', seedFile: resolve(env.BURNDOWN_NATS_NKEY_SEED_FILE) };
  if (env.BURNDOWN_NATS_CREDS_FILE)
    return { kind: 'creds', credsFile: resolve(env.BURNDOWN_NATS_CREDS_FILE) };
  return { kind: 'none' };
}

function natsTls(env: NodeJS.ProcessEnv): NatsSettings['tls'] {
  const {
    BURNDOWN_NATS_TLS_CA_FILE: ca,
    BURNDOWN_NATS_TLS_CERT_FILE: cert,
    BURNDOWN_NATS_TLS_KEY_FILE: key,
  } = env;
  if (!ca && !cert && !key) return undefined;
  if (Boolean(cert) !== Boolean(key))
    fail('BURNDOWN_NATS_TLS_CERT_FILE and BURNDOWN_NATS_TLS_KEY_FILE go together');
  return {
    ...(ca ? { caFile: resolve(ca) } : {}),
    ...(cert ? { certFile: resolve(cert) } : {}),
    ...(key ? { keyFile: resolve(key) } : {}),
  };
}

function natsStreams(env: NodeJS.ProcessEnv, dedupeHorizonMs: number): NatsSettings['streams'] {
  const horizonDays = dedupeHorizonMs / DAY_MS;
  const maxAgeDays = integer(
    env,
    'BURNDOWN_NATS_STREAM_MAX_AGE_DAYS',
    Math.max(DEFAULT_NATS_STREAM_MAX_AGE_DAYS, horizonDays),
    1,
    36_500,
  );
  if (maxAgeDays < horizonDays)
    fail(
      `BURNDOWN_NATS_STREAM_MAX_AGE_DAYS (${maxAgeDays}) must be at least the dedupe horizon (BURNDOWN_DEDUPE_HORIZON_DAYS, ${horizonDays}): a repeat must still find the message it repeats`,
    );
  return {
    maxAgeMs: maxAgeDays * DAY_MS,
    maxBytes: integer(env, 'BURNDOWN_NATS_STREAM_MAX_BYTES', -1, -1, Number.MAX_SAFE_INTEGER),
    replicas: integer(env, 'BURNDOWN_NATS_STREAM_REPLICAS', 1, 1, 5),
  };
}
