import { readFileSync } from 'node:fs';
import type { NatsAuth, NatsBusOptions } from '@burndown/nats';
import { ConfigError } from './config';
import type { NatsSettings } from './nats-settings';

/**
 * The bus's connection options from the settings, with the files read now: a file that cannot be
 * read fails the start naming its variable, not somewhere inside the client's handshake.
 */
export function natsConnectionOptions(
  settings: NatsSettings,
): Pick<NatsBusOptions, 'auth' | 'tls' | 'streamLimits'> {
  const { tls, streams } = settings;
  return {
    ...(auth(settings.auth) === undefined ? {} : { auth: auth(settings.auth) as NatsAuth }),
    ...(tls === undefined
      ? {}
      : {
          tls: {
            ...(tls.caFile ? { ca: read(tls.caFile, 'BURNDOWN_NATS_TLS_CA_FILE') } : {}),
            ...(tls.certFile ? { cert: read(tls.certFile, 'BURNDOWN_NATS_TLS_CERT_FILE') } : {}),
            ...(tls.keyFile ? { key: read(tls.keyFile, 'BURNDOWN_NATS_TLS_KEY_FILE') } : {}),
          },
        }),
    streamLimits: {
      maxAgeMs: streams.maxAgeMs,
      maxBytes: streams.maxBytes,
      replicas: streams.replicas,
    },
  };
}

function auth(settings: NatsSettings['auth']): NatsAuth | undefined {
  switch (settings.kind) {
    case 'none':
      return undefined;
    case 'user':
      return { user: settings.user, pass: settings.password };
    case 'token':
      return { token: settings.token };
    case 'nkey':
      return {
        nkeySeed: new TextEncoder().encode(
          read(settings.seedFile, 'BURNDOWN_NATS_NKEY_SEED_FILE').trim(),
        ),
      };
    case 'creds':
      return {
        creds: new TextEncoder().encode(read(settings.credsFile, 'BURNDOWN_NATS_CREDS_FILE')),
      };
  }
}

function read(file: string, variable: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${variable}: cannot read ${file}: ${(error as Error).message}`);
  }
}
