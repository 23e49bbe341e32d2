import {
  credsAuthenticator,
  nkeyAuthenticator,
  type ConnectionOptions,
  type StreamConfig as NatsStreamConfig,
} from 'nats';
import type { NatsAuth } from './nats-bus';

/** The client's options for one way of authenticating. */
export function authOptions(auth: NatsAuth | undefined): Partial<ConnectionOptions> {
  if (auth === undefined) return {};
  if ('user' in auth) return { user: auth.user, pass: auth.pass };
  if ('token' in auth) return { token: auth.token };
  if ('nkeySeed' in auth) return { authenticator: nkeyAuthenticator(auth.nkeySeed) };
  return { authenticator: credsAuthenticator(auth.creds) };
}

type Compared = Pick<
  NatsStreamConfig,
  'subjects' | 'duplicate_window' | 'max_age' | 'max_bytes' | 'discard'
>;

/** What an existing stream has that the wanted configuration changes, one phrase per setting. */
export function streamDifferences(found: Partial<Compared>, wanted: Compared): string[] {
  const differences: string[] = [];
  const sorted = (subjects: readonly string[] | undefined) =>
    JSON.stringify([...(subjects ?? [])].sort());
  if (sorted(found.subjects) !== sorted(wanted.subjects))
    differences.push(`subjects ${sorted(found.subjects)} → ${sorted(wanted.subjects)}`);
  for (const key of ['duplicate_window', 'max_age', 'max_bytes', 'discard'] as const)
    if (found[key] !== wanted[key])
      differences.push(`${key} ${String(found[key])} → ${String(wanted[key])}`);
  return differences;
}
