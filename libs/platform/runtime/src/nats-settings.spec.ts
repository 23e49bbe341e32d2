import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { natsConnectionOptions } from './nats-connection';

const DAY_MS = 86_400_000;

describe('NATS settings (BURNDOWN_NATS_*)', () => {
  it('defaults to no credentials, no TLS, and streams kept 90 days, unbounded in size, one replica', () => {
    expect(loadConfig({}).nats).toEqual({
      auth: { kind: 'none' },
      tls: undefined,
      streams: { maxAgeMs: 90 * DAY_MS, maxBytes: -1, replicas: 1 },
    });
  });

  it('keeps streams at least as long as the dedupe horizon, and refuses a shorter age naming both', () => {
    expect(loadConfig({ BURNDOWN_DEDUPE_HORIZON_DAYS: '120' }).nats.streams.maxAgeMs).toBe(
      120 * DAY_MS,
    );
    expect(() => loadConfig({ BURNDOWN_NATS_STREAM_MAX_AGE_DAYS: '30' })).toThrow(
      /BURNDOWN_NATS_STREAM_MAX_AGE_DAYS \(30\) must be at least the dedupe horizon \(BURNDOWN_DEDUPE_HORIZON_DAYS, 35\)/,
    );
  });

  it('reads stream limits and a user with a password', () => {
    const { nats } = loadConfig({
      BURNDOWN_NATS_USER: 'burndown',
      BURNDOWN_NATS_PASSWORD: 's3cret',
      BURNDOWN_NATS_STREAM_MAX_BYTES: '10737418240',
      BURNDOWN_NATS_STREAM_REPLICAS: '3',
    });
    expect(nats.auth).toEqual({ kind: 'user', user: 'burndown', password: 's3cret' });
    expect(nats.streams).toMatchObject({ maxBytes: 10_737_418_240, replicas: 3 });
  });

  it.each([
    [{ BURNDOWN_NATS_USER: 'u' }, /BURNDOWN_NATS_USER and BURNDOWN_NATS_PASSWORD go together/],
    [
      { BURNDOWN_NATS_TOKEN: 't', BURNDOWN_NATS_CREDS_FILE: '/x.creds' },
      /one way to authenticate to NATS, not BURNDOWN_NATS_TOKEN and BURNDOWN_NATS_CREDS_FILE/,
    ],
    [
      { BURNDOWN_NATS_TLS_CERT_FILE: '/c.pem' },
      /BURNDOWN_NATS_TLS_CERT_FILE and BURNDOWN_NATS_TLS_KEY_FILE go together/,
    ],
    [
      { BURNDOWN_NATS_STREAM_REPLICAS: '0' },
      /BURNDOWN_NATS_STREAM_REPLICAS must be a whole number from 1 to 5/,
    ],
    [
      { BURNDOWN_NATS_STREAM_MAX_BYTES: 'lots' },
      /BURNDOWN_NATS_STREAM_MAX_BYTES must be a whole number/,
    ],
  ])('refuses %j at start, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the credential and TLS files at start, and names the variable of one it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'burndown-nats-files-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
      writeFileSync(join(dir, 'seed'), 'SUAEXAMPLESEED\n');
      const options = natsConnectionOptions(
        loadConfig({
          BURNDOWN_NATS_NKEY_SEED_FILE: join(dir, 'seed'),
          BURNDOWN_NATS_TLS_CA_FILE: join(dir, 'ca.pem'),
        }).nats,
      );
      expect(options.tls).toEqual({ ca: 'CA PEM' });
      expect(new TextDecoder().decode((options.auth as { nkeySeed: Uint8Array }).nkeySeed)).toBe(
        'SUAEXAMPLESEED',
      );
      expect(() =>
        natsConnectionOptions(
          loadConfig({ BURNDOWN_NATS_CREDS_FILE: join(dir, 'missing.creds') }).nats,
        ),
      ).toThrow(/BURNDOWN_NATS_CREDS_FILE: cannot read .*missing\.creds/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
