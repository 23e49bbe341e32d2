import { resolve } from 'node:path';
import { ConfigError, integer } from './config-values';
import { natsSettings, type NatsSettings } from './nats-settings';

export { ConfigError } from './config-values';
import { DEBIT_PARTITIONS } from '@burndown/ports';
import { SYNC_MODES, type SyncMode } from '@burndown/embedded';
import { looksLikeApiKey } from '@burndown/http';

export const EVENT_STORE_CHOICES = ['embedded', 'esdb'] as const;
export const READ_STORE_CHOICES = ['embedded', 'mongo'] as const;
export const BUS_CHOICES = ['embedded', 'nats'] as const;
export type EventStoreChoice = (typeof EVENT_STORE_CHOICES)[number];
export type ReadStoreChoice = (typeof READ_STORE_CHOICES)[number];
export type BusChoice = (typeof BUS_CHOICES)[number];

export const LOG_LEVELS = ['debug', 'log', 'warn', 'error', 'silent'] as const;
export type LogLevelChoice = (typeof LOG_LEVELS)[number];

export interface BurndownConfig {
  /** Where the embedded store keeps its files. */
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly bodyLimitBytes: number;
  readonly eventStore: EventStoreChoice;
  readonly readStore: ReadStoreChoice;
  readonly bus: BusChoice;
  /** When the embedded store's commits reach the disk (see SyncMode); `full` survives power loss. */
  readonly embeddedSync: SyncMode;
  /** For `eventStore: esdb`, e.g. esdb://localhost:2113?tls=false. */
  readonly esdbUrl: string;
  /** For `readStore: mongo`, e.g. mongodb://localhost:27017; the database is `burndown`. */
  readonly mongoUrl: string;
  /** For `bus: nats`. */
  readonly natsUrl: string;
  /** For `bus: nats`: a prefix that keeps this installation's streams and subjects apart on a shared server. */
  readonly natsNamespace: string;
  /** For `bus: nats`: credentials, TLS and the limits every stream is created with. */
  readonly nats: NatsSettings;
  /** A repeated usage event or command id inside this horizon changes the ledger once. */
  readonly dedupeHorizonMs: number;
  /**
   * How far ahead of the server's clock a usage event's timestamp may be. Older than the dedupe
   * horizon is refused too: its id could no longer be recognised as a repeat.
   */
  readonly eventFutureSkewMs: number;
  /** The least severe level printed; `silent` prints nothing. */
  readonly logLevel: LogLevelChoice;
  /** A wallet's state is snapshotted every this many events, so loading it replays at most that many. */
  readonly snapshotEvery: number;
  /** How often the wallet scheduler looks for due holds, expiries and allowance periods; 0 turns it off. */
  readonly schedulerIntervalMs: number;
  /** Streams (wallets, rating counters) kept folded in memory, so a command costs no read. */
  readonly streamCacheSize: number;
  /** The debit partitions this process consumes: one writer per wallet across processes. */
  readonly walletPartitions: readonly number[];
  /**
   * Threads the embedded app runs its services on: 2 puts rating's and entitlements' consumers on
   * a thread of their own (the embedded store on disk is shared between the threads); 1 runs
   * everything on the main thread. A store in memory always runs on one.
   */
  readonly serviceThreads: number;
  /** Account names the revenue journal posts to, where they differ from invoicing's defaults. */
  readonly revenueAccounts: Readonly<Partial<Record<RevenueAccountRole, string>>>;
  /** The signing secret of the Stripe webhook endpoint (`whsec_…`); unset: no Stripe webhook. */
  readonly stripeWebhookSecret: string | undefined;
  /**
   * Stripe's secret API key (`sk_…`, or a restricted `rk_…` allowed to write PaymentIntents); set,
   * every finalized invoice with money to collect gets a PaymentIntent. Unset: invoices are paid
   * by hand (`POST /v1/invoices/:id/payments`).
   */
  readonly stripeSecretKey: string | undefined;
  /**
   * Where the Stripe API answers (an http(s) origin): Stripe itself unless set (a stripe-mock, a
   * test double). A string: the config travels to service threads, which cannot clone a URL.
   */
  readonly stripeApiUrl: string | undefined;
  /**
   * Tests and demos only: a file holding an ISO-8601 time the installation's clock is set to (see
   * FileClock), so billing periods, expiries and months can pass in minutes. Unset: the system clock.
   */
  readonly testClockFile: string | undefined;
  /**
   * The first admin key, from a file (BURNDOWN_ADMIN_KEY_FILE: a mounted Kubernetes Secret) or the
   * variable BURNDOWN_ADMIN_KEY: adopted when the installation has no key yet, never printed.
   */
  readonly adminKey: { readonly file: string } | { readonly variable: string } | undefined;
}

export const REVENUE_ACCOUNT_ROLES = [
  'cash',
  'deferredRevenue',
  'revenue',
  'breakage',
  'refunds',
] as const;
export type RevenueAccountRole = (typeof REVENUE_ACCOUNT_ROLES)[number];

const DAY_MS = 86_400_000;
export const DEFAULT_SNAPSHOT_EVERY = 500;
export const DEFAULT_STREAM_CACHE_SIZE = 10_000;

export interface ConfigDefaults {
  readonly dataDir: string;
  readonly port: number;
}

export const EMBEDDED_DEFAULTS: ConfigDefaults = { dataDir: '.burndown', port: 8080 };

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  defaults: ConfigDefaults = EMBEDDED_DEFAULTS,
): BurndownConfig {
  const dedupeHorizonMs = integer(env, 'BURNDOWN_DEDUPE_HORIZON_DAYS', 35, 1, 3_650) * DAY_MS;
  return {
    dataDir: resolve(env.BURNDOWN_DATA_DIR || defaults.dataDir),
    host: env.BURNDOWN_HOST || '127.0.0.1',
    port: integer(env, 'BURNDOWN_PORT', defaults.port, 0, 65_535),
    bodyLimitBytes: integer(env, 'BURNDOWN_BODY_LIMIT_BYTES', 1_048_576, 1_024, 104_857_600),
    eventStore: adapter(env, 'BURNDOWN_EVENT_STORE', EVENT_STORE_CHOICES),
    readStore: adapter(env, 'BURNDOWN_READ_STORE', READ_STORE_CHOICES),
    bus: adapter(env, 'BURNDOWN_BUS', BUS_CHOICES),
    embeddedSync: oneOf(env, 'BURNDOWN_EMBEDDED_SYNC', SYNC_MODES, 'full'),
    esdbUrl: matching(
      env,
      'BURNDOWN_ESDB_URL',
      /^(esdb|esdb\+discover|kurrentdb):\/\/\S+$/,
      'an esdb:// connection string',
      'esdb://127.0.0.1:2113?tls=false',
    ),
    mongoUrl: matching(
      env,
      'BURNDOWN_MONGO_URL',
      /^mongodb(\+srv)?:\/\/\S+$/,
      'a mongodb:// connection string',
      'mongodb://127.0.0.1:27017',
    ),
    natsUrl: natsUrl(env),
    natsNamespace: matching(
      env,
      'BURNDOWN_NATS_NAMESPACE',
      /^[A-Za-z0-9_-]{0,32}$/,
      'letters, digits, _ or -, at most 32',
      '',
    ),
    dedupeHorizonMs,
    eventFutureSkewMs: integer(env, 'BURNDOWN_EVENT_FUTURE_SKEW_SECONDS', 300, 0, 86_400) * 1_000,
    nats: natsSettings(env, dedupeHorizonMs),
    logLevel: oneOf(env, 'BURNDOWN_LOG_LEVEL', LOG_LEVELS, 'log'),
    serviceThreads: integer(env, 'BURNDOWN_SERVICE_THREADS', 2, 1, 2),
    snapshotEvery: integer(env, 'BURNDOWN_SNAPSHOT_EVERY', DEFAULT_SNAPSHOT_EVERY, 1, 1_000_000),
    schedulerIntervalMs: integer(env, 'BURNDOWN_SCHEDULER_INTERVAL_MS', 1_000, 0, 3_600_000),
    streamCacheSize: integer(
      env,
      'BURNDOWN_STREAM_CACHE_SIZE',
      DEFAULT_STREAM_CACHE_SIZE,
      0,
      10_000_000,
    ),
    walletPartitions: partitions(env, 'BURNDOWN_WALLET_PARTITIONS'),
    revenueAccounts: revenueAccounts(env, 'BURNDOWN_REVENUE_ACCOUNTS'),
    stripeWebhookSecret: stripeWebhookSecret(env, 'BURNDOWN_STRIPE_WEBHOOK_SECRET'),
    stripeSecretKey: stripeSecretKey(env, 'BURNDOWN_STRIPE_SECRET_KEY'),
    stripeApiUrl: httpUrl(env, 'BURNDOWN_STRIPE_API_URL'),
    testClockFile: env.BURNDOWN_TEST_CLOCK_FILE ? resolve(env.BURNDOWN_TEST_CLOCK_FILE) : undefined,
    adminKey: adminKey(env),
  };
}

function adminKey(env: NodeJS.ProcessEnv): BurndownConfig['adminKey'] {
  if (env.BURNDOWN_ADMIN_KEY_FILE && env.BURNDOWN_ADMIN_KEY)
    throw new ConfigError('set BURNDOWN_ADMIN_KEY_FILE or BURNDOWN_ADMIN_KEY, not both');
  if (env.BURNDOWN_ADMIN_KEY_FILE) return { file: resolve(env.BURNDOWN_ADMIN_KEY_FILE) };
  if (!env.BURNDOWN_ADMIN_KEY) return undefined;
  if (!looksLikeApiKey(env.BURNDOWN_ADMIN_KEY))
    throw new ConfigError(
      'BURNDOWN_ADMIN_KEY must be a Burndown API key: bd_ and 40 base62 characters',
    );
  return { variable: env.BURNDOWN_ADMIN_KEY };
}

/** A JSON object from roles to account names, e.g. `{"revenue":"4000 Sales"}`; unset: none. */
function revenueAccounts(
  env: NodeJS.ProcessEnv,
  name: string,
): Readonly<Partial<Record<RevenueAccountRole, string>>> {
  const text = env[name];
  if (text === undefined || text === '') return {};
  const rule = `a JSON object from ${REVENUE_ACCOUNT_ROLES.join(', ')} to account names`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${name} must be ${rule}, got ${JSON.stringify(text)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError(`${name} must be ${rule}, got ${JSON.stringify(text)}`);
  const accounts: Partial<Record<RevenueAccountRole, string>> = {};
  for (const [role, account] of Object.entries(parsed)) {
    if (!(REVENUE_ACCOUNT_ROLES as readonly string[]).includes(role))
      throw new ConfigError(
        `${name}: unknown role ${JSON.stringify(role)}; roles are ${REVENUE_ACCOUNT_ROLES.join(', ')}`,
      );
    if (typeof account !== 'string' || account.trim() === '' || account.length > 100)
      throw new ConfigError(
        `${name}: the account of ${role} must be a name of 1 to 100 characters`,
      );
    accounts[role as RevenueAccountRole] = account;
  }
  return accounts;
}

/** `all` (the default), or partitions and ranges such as `0-3,6`, each below DEBIT_PARTITIONS. */
function partitions(env: NodeJS.ProcessEnv, name: string): readonly number[] {
  const all = Array.from({ length: DEBIT_PARTITIONS }, (_, partition) => partition);
  const text = env[name];
  if (text === undefined || text === '' || text === 'all') return all;
  const rule = `"all" or partitions from 0 to ${DEBIT_PARTITIONS - 1} such as "0-3,6"`;
  const chosen = new Set<number>();
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const from = Number(range?.[1]);
    const to = range?.[2] === undefined ? from : Number(range[2]);
    if (range === null || from > to || to >= DEBIT_PARTITIONS)
      throw new ConfigError(`${name} must be ${rule}, got ${JSON.stringify(text)}`);
    for (let partition = from; partition <= to; partition++) chosen.add(partition);
  }
  return [...chosen].sort((a, b) => a - b);
}

function adapter<T extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly T[]): T {
  const text = env[name];
  if (text === undefined || text === '') return choices[0] as T;
  const choice = choices.find((candidate) => candidate === text);
  if (choice === undefined) {
    throw new ConfigError(
      `${name}=${JSON.stringify(text)} is not available in this build; choose one of ${choices.map((c) => `"${c}"`).join(', ')}`,
    );
  }
  return choice;
}

function natsUrl(env: NodeJS.ProcessEnv): string {
  const text = env.BURNDOWN_NATS_URL || 'nats://127.0.0.1:4222';
  if (!/^(nats|tls):\/\/[^\s/]+$/.test(text)) {
    throw new ConfigError(
      `BURNDOWN_NATS_URL must look like nats://host:port, got ${JSON.stringify(text)}`,
    );
  }
  return text;
}

/** A secret: its value is never repeated in an error. */
function stripeWebhookSecret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (!/^whsec_\S+$/.test(text))
    throw new ConfigError(
      `${name} must be the endpoint's signing secret, which starts with whsec_`,
    );
  return text;
}

function stripeSecretKey(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (!/^(sk|rk)_(test|live)_\S+$/.test(text))
    throw new ConfigError(
      `${name} must be a Stripe secret key (sk_test_…, sk_live_…) or restricted key (rk_…)`,
    );
  return text;
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.pathname !== '/'
  )
    throw new ConfigError(
      `${name} must be an http(s) URL without a path, got ${JSON.stringify(text)}`,
    );
  return url.origin;
}

function matching(
  env: NodeJS.ProcessEnv,
  name: string,
  pattern: RegExp,
  rule: string,
  fallback: string,
): string {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (!pattern.test(text))
    throw new ConfigError(`${name} must be ${rule}, got ${JSON.stringify(text)}`);
  return text;
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const choice = choices.find((candidate) => candidate === text);
  if (choice === undefined) {
    throw new ConfigError(
      `${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(text)}`,
    );
  }
  return choice;
}
