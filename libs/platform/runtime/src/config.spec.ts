import { resolve } from 'node:path';
import { DEBIT_PARTITIONS } from '@burndown/ports';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('starts on the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      dataDir: resolve('.burndown'),
      host: '127.0.0.1',
      port: 8080,
      bodyLimitBytes: 1_048_576,
      eventStore: 'embedded',
      readStore: 'embedded',
      bus: 'embedded',
      dedupeHorizonMs: 35 * 86_400_000,
      eventFutureSkewMs: 300_000,
      logLevel: 'log',
      snapshotEvery: 500,
      schedulerIntervalMs: 1_000,
      natsUrl: 'nats://127.0.0.1:4222',
      natsNamespace: '',
      esdbUrl: 'esdb://127.0.0.1:2113?tls=false',
      mongoUrl: 'mongodb://127.0.0.1:27017',
    });
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      BURNDOWN_DATA_DIR: '/var/lib/burndown',
      BURNDOWN_HOST: '0.0.0.0',
      BURNDOWN_PORT: '0',
      BURNDOWN_BODY_LIMIT_BYTES: '4096',
      BURNDOWN_DEDUPE_HORIZON_DAYS: '7',
      BURNDOWN_EVENT_FUTURE_SKEW_SECONDS: '60',
      BURNDOWN_LOG_LEVEL: 'silent',
      BURNDOWN_SNAPSHOT_EVERY: '50',
      BURNDOWN_SCHEDULER_INTERVAL_MS: '0',
      BURNDOWN_BUS: 'nats',
      BURNDOWN_NATS_URL: 'nats://nats.internal:4222',
      BURNDOWN_NATS_NAMESPACE: 'staging',
      BURNDOWN_EVENT_STORE: 'esdb',
      BURNDOWN_ESDB_URL: 'esdb://esdb.internal:2113?tls=true',
      BURNDOWN_READ_STORE: 'mongo',
      BURNDOWN_MONGO_URL: 'mongodb://mongo.internal:27017/?replicaSet=rs0',
    });
    expect(config).toMatchObject({
      dataDir: '/var/lib/burndown',
      host: '0.0.0.0',
      port: 0,
      bodyLimitBytes: 4096,
      dedupeHorizonMs: 7 * 86_400_000,
      eventFutureSkewMs: 60_000,
      logLevel: 'silent',
      snapshotEvery: 50,
      schedulerIntervalMs: 0,
      bus: 'nats',
      natsUrl: 'nats://nats.internal:4222',
      natsNamespace: 'staging',
      eventStore: 'esdb',
      esdbUrl: 'esdb://esdb.internal:2113?tls=true',
      readStore: 'mongo',
      mongoUrl: 'mongodb://mongo.internal:27017/?replicaSet=rs0',
    });
  });

  it.each([
    ['BURNDOWN_PORT', '80.5'],
    ['BURNDOWN_PORT', '70000'],
    ['BURNDOWN_BODY_LIMIT_BYTES', '10'],
    ['BURNDOWN_DEDUPE_HORIZON_DAYS', 'forever'],
    ['BURNDOWN_EVENT_FUTURE_SKEW_SECONDS', '-1'],
    ['BURNDOWN_LOG_LEVEL', 'chatty'],
    ['BURNDOWN_SNAPSHOT_EVERY', '0'],
    ['BURNDOWN_SCHEDULER_INTERVAL_MS', '-5'],
    ['BURNDOWN_EVENT_STORE', 'eventstoredb'],
    ['BURNDOWN_ESDB_URL', 'http://localhost:2113'],
    ['BURNDOWN_READ_STORE', 'postgres'],
    ['BURNDOWN_MONGO_URL', 'localhost:27017'],
    ['BURNDOWN_BUS', 'kafka'],
    ['BURNDOWN_NATS_URL', 'http://localhost:4222'],
    ['BURNDOWN_NATS_NAMESPACE', 'has spaces'],
    ['BURNDOWN_STREAM_CACHE_SIZE', 'lots'],
    ['BURNDOWN_WALLET_PARTITIONS', '0-8'],
    ['BURNDOWN_WALLET_PARTITIONS', '5-2'],
    ['BURNDOWN_WALLET_PARTITIONS', 'even'],
    ['BURNDOWN_REVENUE_ACCOUNTS', 'revenue=4000'],
    ['BURNDOWN_REVENUE_ACCOUNTS', '["4000"]'],
    ['BURNDOWN_REVENUE_ACCOUNTS', '{"sales":"4000"}'],
    ['BURNDOWN_REVENUE_ACCOUNTS', '{"revenue":""}'],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('owns every debit partition by default, or the partitions and ranges given', () => {
    expect(loadConfig({}).walletPartitions).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(loadConfig({ BURNDOWN_WALLET_PARTITIONS: 'all' }).walletPartitions).toHaveLength(
      DEBIT_PARTITIONS,
    );
    expect(loadConfig({ BURNDOWN_WALLET_PARTITIONS: '6, 0-2,1' }).walletPartitions).toEqual([
      0, 1, 2, 6,
    ]);
  });

  it('maps revenue journal roles to the accounts given, none by default', () => {
    expect(loadConfig({}).revenueAccounts).toEqual({});
    expect(loadConfig({}).stripeWebhookSecret).toBeUndefined();
    expect(loadConfig({ BURNDOWN_STRIPE_WEBHOOK_SECRET: 'whsec_abc' }).stripeWebhookSecret).toBe(
      'whsec_abc',
    );
    expect(() => loadConfig({ BURNDOWN_STRIPE_WEBHOOK_SECRET: 'sk_live_oops' })).toThrow(
      /BURNDOWN_STRIPE_WEBHOOK_SECRET/,
    );
    expect(loadConfig({}).stripeSecretKey).toBeUndefined();
    expect(loadConfig({ BURNDOWN_STRIPE_SECRET_KEY: 'sk_test_123' }).stripeSecretKey).toBe(
      'sk_test_123',
    );
    expect(() => loadConfig({ BURNDOWN_STRIPE_SECRET_KEY: 'whsec_oops' })).toThrow(
      /BURNDOWN_STRIPE_SECRET_KEY must be a Stripe secret key/,
    );
    expect(loadConfig({ BURNDOWN_STRIPE_API_URL: 'http://127.0.0.1:12111/' }).stripeApiUrl).toBe(
      'http://127.0.0.1:12111',
    );
    expect(() => loadConfig({ BURNDOWN_STRIPE_API_URL: 'ftp://stripe' })).toThrow(
      /BURNDOWN_STRIPE_API_URL/,
    );
    expect(
      loadConfig({ BURNDOWN_REVENUE_ACCOUNTS: '{"revenue":"4000 Sales","refunds":"2500 Refunds"}' })
        .revenueAccounts,
    ).toEqual({ revenue: '4000 Sales', refunds: '2500 Refunds' });
  });
});
