import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '@burndown/testing';
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
});
