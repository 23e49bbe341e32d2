import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { connect, credsAuthenticator } from 'nats';
import { createAccount, createOperator, createUser, type KeyPair } from 'nkeys.js';
import { NatsBus, type StreamLimits } from './nats-bus';

// A private nats-server (the same binary .ci/run installs) that demands credentials: one user with
// a password, one with an nkey. Streams are created with the configured limits and a drifted one
// is put back, with a warning.
const nkeyUser = createUser();
const seed = nkeyUser.getSeed();
let server: ChildProcess;
let dir: string;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burndown-nats-auth-'));
  const port = await freePort();
  url = `nats://127.0.0.1:${port}`;
  const config = join(dir, 'server.conf');
  writeFileSync(
    config,
    `listen: 127.0.0.1:${port}
jetstream { store_dir: "${join(dir, 'js')}" }
authorization { users = [ { user: "burndown", password: "s3cret" }, { nkey: "${nkeyUser.getPublicKey()}" } ] }
`,
  );
  server = spawn(process.env['NATS_SERVER_BIN'] ?? 'nats-server', ['-c', config], {
    stdio: 'ignore',
  });
  await until(async () => {
    const probe = await connect({ servers: url, user: 'burndown', pass: 's3cret' }).catch(
      () => undefined,
    );
    await probe?.close();
    return probe !== undefined;
  });
}, 20_000);

afterAll(async () => {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const limits: StreamLimits = { maxAgeMs: 90 * 86_400_000, maxBytes: 64 * 1024, replicas: 1 };

describe('NatsBus against a server that demands credentials', () => {
  it('connects with a user and password, and creates streams with the configured limits', async () => {
    const bus = await NatsBus.connect({
      url,
      auth: { user: 'burndown', pass: 's3cret' },
      streamLimits: limits,
    });
    try {
      await bus.ensureStream({
        name: 'LIMITED',
        subjects: ['limited.>'],
        duplicateWindowMs: 60_000,
      });
      const connection = await connect({ servers: url, user: 'burndown', pass: 's3cret' });
      const info = await (await connection.jetstreamManager()).streams.info('LIMITED');
      await connection.close();
      expect(info.config).toMatchObject({
        max_age: 90 * 86_400_000 * 1_000_000,
        max_bytes: 64 * 1024,
        discard: 'new',
        num_replicas: 1,
      });
    } finally {
      await bus.close();
    }
  });

  it('refuses a wrong password at connect, saying where it tried', async () => {
    await expect(
      NatsBus.connect({ url, auth: { user: 'burndown', pass: 'wrong' } }),
    ).rejects.toThrow(new RegExp(`cannot connect to NATS at ${url}`));
  });

  it('connects with an nkey seed', async () => {
    const bus = await NatsBus.connect({ url, auth: { nkeySeed: seed } });
    await bus.close();
  });

  it('puts a drifted stream back to the settings and says so; a full stream refuses, dropping nothing', async () => {
    const connection = await connect({ servers: url, user: 'burndown', pass: 's3cret' });
    const manager = await connection.jetstreamManager();
    await manager.streams.add({
      name: 'DRIFTED',
      subjects: ['drifted.>'],
      max_age: 0,
      max_bytes: -1,
    });
    const warnings: string[] = [];
    const bus = await NatsBus.connect({
      url,
      auth: { user: 'burndown', pass: 's3cret' },
      streamLimits: { ...limits, maxBytes: 4 * 1024 },
      warn: (message) => warnings.push(message),
    });
    try {
      await bus.ensureStream({
        name: 'DRIFTED',
        subjects: ['drifted.>'],
        duplicateWindowMs: 60_000,
      });
      expect(warnings.join('\n')).toMatch(
        /DRIFTED differed .*max_age 0 → .*max_bytes -1 → 4096.*updated/,
      );
      expect((await manager.streams.info('DRIFTED')).config).toMatchObject({
        max_bytes: 4 * 1024,
        discard: 'new',
      });
      const payload = 'x'.repeat(1_000);
      let refused: unknown;
      for (let index = 0; index < 10 && refused === undefined; index++)
        await bus
          .publish(`drifted.${index}`, payload, { msgId: `m-${index}` })
          .catch((error: unknown) => (refused = error));
      expect(String(refused)).toMatch(/maximum bytes/i);
      expect((await manager.streams.info('DRIFTED')).state.first_seq).toBe(1);
    } finally {
      await bus.close();
      await connection.close();
    }
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });
}

async function until(ready: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the private nats-server did not start');
}

// TLS: a private nats-server with a self-signed certificate (made by openssl) that the client
// trusts as its CA. Without openssl on the machine the case cannot be set up, and says so.
const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const describeTls = openssl.status === 0 ? describe : describe.skip;
if (openssl.status !== 0)
  process.stderr.write(
    'nats-settings: TLS cases skipped: openssl is not installed to make a certificate\n',
  );

describeTls('NatsBus over TLS', () => {
  let tlsServer: ChildProcess;
  let tlsDir: string;
  let tlsUrl: string;
  let certificate: string;

  beforeAll(async () => {
    tlsDir = mkdtempSync(join(tmpdir(), 'burndown-nats-tls-'));
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(tlsDir, 'key.pem'),
        '-out',
        join(tlsDir, 'cert.pem'),
      ],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
    certificate = readFileSync(join(tlsDir, 'cert.pem'), 'utf8');
    const port = await freePort();
    tlsUrl = `tls://127.0.0.1:${port}`;
    const config = join(tlsDir, 'server.conf');
    writeFileSync(
      config,
      `listen: 127.0.0.1:${port}
jetstream { store_dir: "${join(tlsDir, 'js')}" }
tls { cert_file: "${join(tlsDir, 'cert.pem')}", key_file: "${join(tlsDir, 'key.pem')}" }
`,
    );
    tlsServer = spawn(process.env['NATS_SERVER_BIN'] ?? 'nats-server', ['-c', config], {
      stdio: 'ignore',
    });
    await until(async () => {
      const probe = await connect({ servers: tlsUrl, tls: { ca: certificate } }).catch(
        () => undefined,
      );
      await probe?.close();
      return probe !== undefined;
    });
  }, 30_000);

  afterAll(() => {
    tlsServer?.kill();
    rmSync(tlsDir, { recursive: true, force: true });
  });

  it('connects when it trusts the CA that signed the server, and refuses a server it cannot verify', async () => {
    const bus = await NatsBus.connect({ url: tlsUrl, tls: { ca: certificate } });
    await bus.ensureStream({ name: 'OVER_TLS', subjects: ['tls.>'], duplicateWindowMs: 60_000 });
    await bus.close();
    await expect(NatsBus.connect({ url: tlsUrl })).rejects.toThrow(/cannot connect to NATS/);
  });

  it('presents a client certificate to a server that verifies clients, and is refused without one', async () => {
    // The self-signed certificate is its own CA: the server trusts clients it signed (itself).
    const port = await freePort();
    const url = `tls://127.0.0.1:${port}`;
    const config = join(tlsDir, 'verifying.conf');
    writeFileSync(
      config,
      `listen: 127.0.0.1:${port}
jetstream { store_dir: "${join(tlsDir, 'js-verifying')}" }
tls { cert_file: "${join(tlsDir, 'cert.pem')}", key_file: "${join(tlsDir, 'key.pem')}", ca_file: "${join(tlsDir, 'cert.pem')}", verify: true }
`,
    );
    const verifying = spawn(process.env['NATS_SERVER_BIN'] ?? 'nats-server', ['-c', config], {
      stdio: 'ignore',
    });
    try {
      const key = readFileSync(join(tlsDir, 'key.pem'), 'utf8');
      const tls = { ca: certificate, cert: certificate, key };
      await until(async () => {
        const probe = await connect({ servers: url, tls }).catch(() => undefined);
        await probe?.close();
        return probe !== undefined;
      });
      const bus = await NatsBus.connect({ url, tls });
      await bus.close();
      // Without a certificate the server closes the handshake (a plain client, to fail fast).
      await expect(
        connect({
          servers: url,
          tls: { ca: certificate },
          timeout: 3_000,
          maxReconnectAttempts: 0,
        }),
      ).rejects.toThrow();
    } finally {
      verifying.kill();
    }
  });
});

// A creds file (a user JWT and its nkey seed, as `nsc` writes them) against a server in operator
// mode: the operator, account and user JWTs are minted here with nkeys, as nsc would.
describe('NatsBus with a creds file', () => {
  let credsServer: ChildProcess;
  let credsDir: string;
  let credsUrl: string;

  beforeAll(async () => {
    credsDir = mkdtempSync(join(tmpdir(), 'burndown-nats-creds-'));
    const operator = createOperator();
    const account = createAccount();
    const system = createAccount();
    const user = createUser();
    const limits = {
      subs: -1,
      data: -1,
      payload: -1,
      imports: -1,
      exports: -1,
      wildcards: true,
      conn: -1,
      leaf: -1,
    };
    const accountJwt = natsJwt(operator, account.getPublicKey(), {
      type: 'account',
      version: 2,
      limits: { ...limits, mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 },
    });
    const systemJwt = natsJwt(operator, system.getPublicKey(), {
      type: 'account',
      version: 2,
      limits,
    });
    const userJwt = natsJwt(account, user.getPublicKey(), {
      type: 'user',
      version: 2,
      pub: {},
      sub: {},
      subs: -1,
      data: -1,
      payload: -1,
    });
    writeFileSync(
      join(credsDir, 'user.creds'),
      `-----BEGIN NATS USER JWT-----\n${userJwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${new TextDecoder().decode(user.getSeed())}\n------END USER NKEY SEED------\n`,
    );
    const port = await freePort();
    credsUrl = `nats://127.0.0.1:${port}`;
    const config = join(credsDir, 'server.conf');
    writeFileSync(
      config,
      `listen: 127.0.0.1:${port}
operator: "${natsJwt(operator, operator.getPublicKey(), { type: 'operator', version: 2 })}"
system_account: ${system.getPublicKey()}
resolver: MEMORY
resolver_preload: { ${account.getPublicKey()}: "${accountJwt}", ${system.getPublicKey()}: "${systemJwt}" }
jetstream { store_dir: "${join(credsDir, 'js')}" }
`,
    );
    credsServer = spawn(process.env['NATS_SERVER_BIN'] ?? 'nats-server', ['-c', config], {
      stdio: 'ignore',
    });
    await until(async () => {
      const probe = await connect({
        servers: credsUrl,
        authenticator: credsAuthenticator(readFileSync(join(credsDir, 'user.creds'))),
      }).catch(() => undefined);
      await probe?.close();
      return probe !== undefined;
    });
  }, 30_000);

  afterAll(() => {
    credsServer?.kill();
    rmSync(credsDir, { recursive: true, force: true });
  });

  it('connects with the creds file and uses JetStream; without it the server refuses', async () => {
    const bus = await NatsBus.connect({
      url: credsUrl,
      auth: { creds: readFileSync(join(credsDir, 'user.creds')) },
    });
    await bus.ensureStream({
      name: 'WITH_CREDS',
      subjects: ['creds.>'],
      duplicateWindowMs: 60_000,
    });
    await bus.close();
    await expect(
      connect({ servers: credsUrl, timeout: 3_000, maxReconnectAttempts: 0 }),
    ).rejects.toThrow();
  });
});

/** A NATS JWT (v2) as nsc signs it: ed25519 over "header.claims" by the issuer's nkey. */
function natsJwt(issuer: KeyPair, subject: string, nats: Record<string, unknown>): string {
  const base64url = (text: string | Uint8Array) => Buffer.from(text).toString('base64url');
  const claims: Record<string, unknown> = {
    iat: Math.floor(Date.now() / 1_000),
    iss: issuer.getPublicKey(),
    name: 'test',
    sub: subject,
    nats,
  };
  claims['jti'] = createHash('sha256').update(JSON.stringify(claims)).digest('hex').toUpperCase();
  const signed = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }))}.${base64url(JSON.stringify(claims))}`;
  return `${signed}.${base64url(issuer.sign(Buffer.from(signed)))}`;
}
