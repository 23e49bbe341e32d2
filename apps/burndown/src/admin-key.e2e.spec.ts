import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, eventually } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

// An installation started with BURNDOWN_ADMIN_KEY_FILE (a mounted Kubernetes Secret, say) answers
// to that key from its first request, on every service, and mints no development key.
describe(`Burndown (${e2eTopology()}): the first admin key from a file`, () => {
  const adminKey = `bd_${'A1b2C3d4E5'.repeat(4)}`;
  let dir: string;
  let burndown: BurndownUnderTest;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'burndown-admin-key-'));
    writeFileSync(join(dir, 'admin-key'), `${adminKey}\n`, { mode: 0o600 });
    burndown = await startBurndownUnderTest({
      BURNDOWN_LOG_LEVEL: 'error',
      BURNDOWN_ADMIN_KEY_FILE: join(dir, 'admin-key'),
    });
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers to the operator's key and to no development key", async () => {
    const api = new ApiClient(burndown.url, adminKey);
    expect((await api.post('/v1/customers', { id: 'keyed', name: 'Keyed' })).status).toBe(201);
    expect((await api.get('/v1/wallets/keyed')).status).toBe(200);
    const keys = await api.get('/v1/api-keys');
    expect(keys.body.data.map((key: { name: string }) => key.name)).toEqual(['admin']);
    expect((await api.get('/v1/wallets/keyed', { apiKey: null })).status).toBe(401);
    // A development key placed in the data directory (the distributed harness places one) is not adopted.
    if (burndown.developmentKey !== '')
      expect((await api.get('/v1/wallets/keyed', { apiKey: burndown.developmentKey })).status).toBe(
        401,
      );
  });

  it('refuses a key from its expiresAt on, on every service, and will not create one already expired', async () => {
    const admin = new ApiClient(burndown.url, adminKey);
    const past = await admin.post('/v1/api-keys', {
      name: 'late',
      scopes: ['read'],
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(422);
    expect(past.body.errors[0].field).toBe('expiresAt');
    const expiresAt = new Date(Date.now() + 2_000).toISOString();
    const created = await admin.post('/v1/api-keys', {
      name: 'short-lived',
      scopes: ['read'],
      expiresAt,
    });
    expect(created.status).toBe(201);
    expect(created.body.expiresAt).toBe(expiresAt);
    const shortLived = new ApiClient(burndown.url, created.body.key as string);
    // Read routes of two services: wallets and invoicing.
    expect((await shortLived.get('/v1/wallets/keyed')).status).toBe(200);
    expect((await shortLived.get('/v1/revenue/periods')).status).toBe(200);
    await eventually(async () => {
      expect((await shortLived.get('/v1/wallets/keyed')).status).toBe(401);
      expect((await shortLived.get('/v1/revenue/periods')).status).toBe(401);
    }, 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
  });

  it('revokes a key at once on every service, answers a repeat with the first revocation, and keeps the last admin key', async () => {
    const admin = new ApiClient(burndown.url, adminKey);
    const created = await admin.post('/v1/api-keys', { name: 'doomed', scopes: ['read'] });
    const doomed = new ApiClient(burndown.url, created.body.key as string);
    expect((await doomed.get('/v1/wallets/keyed')).status).toBe(200);
    expect((await doomed.get('/v1/revenue/periods')).status).toBe(200);

    const revoked = await admin.post(`/v1/api-keys/${created.body.keyId}/revocation`, {});
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      keyId: created.body.keyId,
      revokedAt: expect.any(String),
    });
    // No waiting: every service was told before the revocation was answered.
    expect((await doomed.get('/v1/wallets/keyed')).status).toBe(401);
    expect((await doomed.get('/v1/revenue/periods')).status).toBe(401);

    const again = await admin.post(`/v1/api-keys/${created.body.keyId}/revocation`, {});
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await admin.post('/v1/api-keys/key_0000000000000000/revocation', {})).status).toBe(404);
    const listed = (await admin.get('/v1/api-keys')).body.data as {
      keyId: string;
      name: string;
      revokedAt: string | null;
    }[];
    const adminRecord = listed.find((key) => key.name === 'admin');
    expect(listed.find((key) => key.keyId === created.body.keyId)?.revokedAt).toBe(
      revoked.body.revokedAt,
    );
    const last = await admin.post(`/v1/api-keys/${adminRecord?.keyId}/revocation`, {});
    expect(last.status).toBe(409);
    expect(last.body.errors[0].field).toBe('keyId');
    expect((await admin.get('/v1/wallets/keyed')).status).toBe(200);
  });

  it('rotates a key: the new one works everywhere at once, the old one until the overlap ends', async () => {
    const admin = new ApiClient(burndown.url, adminKey);
    const original = await admin.post('/v1/api-keys', { name: 'rotating', scopes: ['read'] });
    const rotated = await admin.post(`/v1/api-keys/${original.body.keyId}/rotation`, {
      overlapSeconds: 2,
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({
      name: 'rotating',
      scopes: ['read'],
      retires: { keyId: original.body.keyId },
    });
    const before = new ApiClient(burndown.url, original.body.key as string);
    const after = new ApiClient(burndown.url, rotated.body.key as string);
    for (const path of ['/v1/wallets/keyed', '/v1/revenue/periods']) {
      expect((await after.get(path)).status).toBe(200);
      expect((await before.get(path)).status).toBe(200);
    }
    await eventually(async () => {
      expect((await before.get('/v1/wallets/keyed')).status).toBe(401);
      expect((await before.get('/v1/revenue/periods')).status).toBe(401);
    }, 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(rotated.body.retires.expiresAt));
    expect((await after.get('/v1/revenue/periods')).status).toBe(200);
    // Only a live key rotates.
    const stale = await admin.post(`/v1/api-keys/${original.body.keyId}/rotation`, {});
    expect(stale.status).toBe(409);
    expect(
      (await admin.post(`/v1/api-keys/${original.body.keyId}/rotation`, { overlapSeconds: -1 }))
        .status,
    ).toBe(400);
  });
});
