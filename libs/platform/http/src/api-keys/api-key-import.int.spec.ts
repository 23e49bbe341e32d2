import { EmbeddedDatabase, SqliteReadStore } from '@burndown/embedded';
import { startSampleApp, type SampleApp } from '../test-support/sample-app';
import { generateApiKey, hashApiKey } from './api-key-secret';

// A key created by another service, imported by its hash, works here as it does there.
describe('importing an API key by hash', () => {
  let database: EmbeddedDatabase;
  let sample: SampleApp;

  const send = async (key: string, url: string, payload?: unknown) => {
    const response = await sample.app.inject({
      method: payload === undefined ? 'GET' : 'POST',
      url,
      headers: {
        authorization: `Bearer ${key}`,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
    return {
      status: response.statusCode,
      body: response.body ? JSON.parse(response.body) : undefined,
    };
  };
  const record = (key: string, name = 'elsewhere') => ({
    keyHash: hashApiKey(key),
    keyId: 'key_0123456789ABCDEF',
    name,
    scopes: ['ingest'],
    createdAt: '2026-01-01T00:00:00.000Z',
  });

  beforeAll(async () => {
    database = await EmbeddedDatabase.open();
    sample = await startSampleApp(await SqliteReadStore.create(database));
  });
  afterAll(async () => {
    await sample?.close();
    await database?.close();
  });

  it('stores the key without ever seeing it, with the scopes it was given, and takes a repeat', async () => {
    const key = generateApiKey();
    expect(await send(sample.keys.admin, '/v1/api-keys/imports', record(key))).toMatchObject({
      status: 201,
      body: record(key),
    });
    expect((await send(sample.keys.admin, '/v1/api-keys/imports', record(key))).status).toBe(201);
    expect((await send(key, '/v1/samples', { name: 'imported', amount: '1' })).status).toBe(201);
    expect((await send(key, '/v1/samples/admin-only', {})).status).toBe(403);
  });

  it('refuses a different key under a stored hash, a malformed hash, and callers without admin', async () => {
    const key = generateApiKey();
    await send(sample.keys.admin, '/v1/api-keys/imports', record(key));
    const clash = await send(
      sample.keys.admin,
      '/v1/api-keys/imports',
      record(key, 'someone else'),
    );
    expect(clash.status).toBe(409);
    expect(clash.body.errors[0].field).toBe('keyHash');
    const malformed = await send(sample.keys.admin, '/v1/api-keys/imports', {
      ...record(key),
      keyHash: 'ABC',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].field).toBe('keyHash');
    expect(
      (await send(sample.keys.ingest, '/v1/api-keys/imports', record(generateApiKey()))).status,
    ).toBe(403);
  });
});
