import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase, SqliteReadStore } from '@burndown/embedded';
import { ApiKeyRepository } from './api-key-repository';
import { generateApiKey, hashApiKey } from './api-key-secret';
import { DEVELOPMENT_KEY_FILE, ensureDevelopmentKey } from './development-key';

describe('the development key of a data directory', () => {
  let dataDir: string;
  let database: EmbeddedDatabase;
  let store: SqliteReadStore;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'burndown-key-'));
    database = await EmbeddedDatabase.open();
    store = await SqliteReadStore.create(database);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adopts a key placed before the first start, so several services answer to one key', async () => {
    const placed = generateApiKey();
    writeFileSync(join(dataDir, DEVELOPMENT_KEY_FILE), `${placed}\n`);
    expect(await ensureDevelopmentKey(store, dataDir)).toEqual({ key: placed, created: true });
    expect(await new ApiKeyRepository(store).findByHash(hashApiKey(placed))).toMatchObject({
      name: 'development',
    });
    expect(await ensureDevelopmentKey(store, dataDir)).toEqual({ key: placed, created: false });
  });

  it('mints a fresh key when the placed file does not hold a well-formed one', async () => {
    writeFileSync(join(dataDir, DEVELOPMENT_KEY_FILE), 'password123\n');
    const minted = await ensureDevelopmentKey(store, dataDir);
    expect(minted.created).toBe(true);
    expect(minted.key).toMatch(/^bd_/);
    expect(readFileSync(join(dataDir, DEVELOPMENT_KEY_FILE), 'utf8').trim()).toBe(minted.key);
  });

  it("adopts the operator's admin key on a first start instead of minting one, and never writes or answers it", async () => {
    const admin = generateApiKey();
    expect(await ensureDevelopmentKey(store, dataDir, admin)).toEqual({ key: '', created: false });
    expect(await new ApiKeyRepository(store).findByHash(hashApiKey(admin))).toMatchObject({
      name: 'admin',
    });
    expect(existsSync(join(dataDir, DEVELOPMENT_KEY_FILE))).toBe(false);
    // Later starts, with the same key or another, change nothing: it was the first key only.
    await ensureDevelopmentKey(store, dataDir, generateApiKey());
    expect((await new ApiKeyRepository(store).list({ limit: 10 })).items).toHaveLength(1);
  });

  it('refuses an admin key that is not a Burndown key', async () => {
    await expect(ensureDevelopmentKey(store, dataDir, 'hunter2')).rejects.toThrow(
      /bd_ and 40 base62/,
    );
  });
});
