import { EmbeddedDatabase, SqliteReadStore } from '@burndown/embedded';
import { API_KEYS_COLLECTION } from './api-keys/api-key-repository';
import {
  LEAKY_ERROR_MESSAGE,
  SAMPLES_COLLECTION,
  startSampleApp,
  type SampleApp,
} from './test-support/sample-app';

// The API conventions through a stand-in service on a real (in-memory SQLite) read store.
describe('HTTP conventions', () => {
  let database: EmbeddedDatabase;
  let readStore: SqliteReadStore;
  let sample: SampleApp;

  const send = async (
    method: 'GET' | 'POST',
    url: string,
    key: string | null,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await sample.app.inject({
      method,
      url,
      headers: {
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body ? JSON.parse(response.body) : undefined,
    };
  };
  const isProblem = (headers: Record<string, unknown>) =>
    expect(String(headers['content-type'])).toMatch(/^application\/problem\+json/);

  beforeAll(async () => {
    database = await EmbeddedDatabase.open();
    readStore = await SqliteReadStore.create(database);
    sample = await startSampleApp(readStore);
  });
  afterAll(async () => {
    await sample?.close();
    await database?.close();
  });

  it('stores API keys only as hashes, shows the key once, and lists keys without secrets', async () => {
    const created = await send('POST', '/v1/api-keys', sample.keys.admin, {
      name: 'ci',
      scopes: ['ingest'],
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^bd_/);
    const stored = await readStore.find(API_KEYS_COLLECTION, { limit: 200 });
    expect(stored.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored.items.map((item) => [item.id, item.document]))).not.toContain(key);
    const listed = await send('GET', '/v1/api-keys?limit=200', sample.keys.admin);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.data.some((entry: { name: string }) => entry.name === 'ci')).toBe(true);
    expect(
      (await send('POST', '/v1/samples', key, { name: 'with-new-key', amount: '1' })).status,
    ).toBe(201);
  });

  it('enforces scopes with 403 problem+json, and leaves public routes open', async () => {
    const forbidden = await send('POST', '/v1/samples/admin-only', sample.keys.ingest);
    expect(forbidden.status).toBe(403);
    isProblem(forbidden.headers);
    expect((await send('POST', '/v1/samples/admin-only', sample.keys.admin)).status).toBe(200);
    expect(
      (await send('POST', '/v1/samples', sample.keys.read, { name: 'x', amount: '1' })).status,
    ).toBe(403);
    expect((await send('GET', '/v1/samples/open', null)).status).toBe(200);
    expect((await send('GET', '/health', null)).status).toBe(200);
  });

  it('names nested fields in validation problems and never calls the handler', async () => {
    const calls = sample.controller.calls.length;
    const bad = await send('POST', '/v1/samples', sample.keys.ingest, {
      name: 'n',
      amount: '1',
      properties: {},
      lines: [{ quantity: '-1' }],
    });
    expect(bad.status).toBe(400);
    isProblem(bad.headers);
    const fields = (bad.body.errors as { field: string }[]).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['properties.model', 'lines[0].quantity']));
    expect(sample.controller.calls.length).toBe(calls);
  });

  it('writes bigints as strings', async () => {
    const created = await send('POST', '/v1/samples', sample.keys.ingest, {
      name: 'big',
      amount: '123456789012345678901234567890',
    });
    expect(created.body.amount).toBe('123456789012345678901234567890');
  });

  it('replays an Idempotency-Key with the same body and refuses it with another body', async () => {
    const calls = sample.controller.calls.length;
    const headers = { 'idempotency-key': 'sample-once' };
    const first = await send(
      'POST',
      '/v1/samples',
      sample.keys.ingest,
      { name: 'once', amount: '5' },
      headers,
    );
    const again = await send(
      'POST',
      '/v1/samples',
      sample.keys.ingest,
      { name: 'once', amount: '5' },
      headers,
    );
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(sample.controller.calls.length).toBe(calls + 1);
    const reused = await send(
      'POST',
      '/v1/samples',
      sample.keys.ingest,
      { name: 'other', amount: '6' },
      headers,
    );
    expect(reused.status).toBe(422);
    isProblem(reused.headers);
    expect(JSON.stringify(reused.body.errors)).toContain('Idempotency-Key');
    expect(sample.controller.calls.length).toBe(calls + 1);
  });

  it('answers an unexpected error with a 500 problem that leaks nothing', async () => {
    const boom = await send('GET', '/v1/samples/boom', sample.keys.read);
    expect(boom.status).toBe(500);
    isProblem(boom.headers);
    expect(JSON.stringify(boom.body)).not.toContain('hunter2');
    expect(JSON.stringify(boom.body)).not.toContain(LEAKY_ERROR_MESSAGE);
    const missing = await send('GET', '/v1/no-such-route', sample.keys.read);
    expect(missing.status).toBe(404);
    isProblem(missing.headers);
  });

  it('pages with a cursor through every document once, in order, and refuses bad paging input', async () => {
    await readStore.apply({
      writes: [1, 2, 3, 4, 5].map((n) => ({
        collection: SAMPLES_COLLECTION,
        id: `s${n}`,
        version: 1n,
        document: { n },
      })),
    });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await send(
        'GET',
        `/v1/samples?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        sample.keys.read,
      );
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((document: { n: number }) => document.n));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    for (const query of ['limit=0', 'limit=100000', 'limit=two']) {
      const bad = await send('GET', `/v1/samples?${query}`, sample.keys.read);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.errors)).toContain('"field":"limit"');
    }
  });
});
