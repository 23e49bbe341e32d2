import {
  ApiClient,
  type ApiResponse,
  eventually,
  lintOpenApiDocument,
  undescribedSuccesses,
} from '@burndown/testing';
import { subjects } from '@burndown/ports';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

// The slice of issue 2 over HTTP, on in-memory stores: one process, or five behind the gateway.
describe(`Burndown (${e2eTopology()}): usage in, credits burned, balance out`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({
      BURNDOWN_BODY_LIMIT_BYTES: '4096',
      BURNDOWN_LOG_LEVEL: 'warn',
    });
    api = new ApiClient(burndown.url, burndown.developmentKey);
    expect((await api.post('/v1/customers', { id: 'acme', name: 'Acme Inc.' })).status).toBe(201);
    const granted = await api.post(
      '/v1/wallets/acme/grants',
      { amount: '10000000', kind: 'purchased' },
      { headers: { 'idempotency-key': 'grant-welcome' } },
    );
    expect(granted.status).toBe(201);
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await burndown?.close();
  });

  const balance = async (walletId = 'acme') =>
    (await api.get(`/v1/wallets/${walletId}`)).body.balance as string;
  const ledger = async () =>
    (await api.get('/v1/wallets/acme/ledger?limit=200')).body.data as Array<
      Record<string, unknown>
    >;
  const usage = (id: string, quantity: unknown = '1500') => ({
    id,
    customerId: 'acme',
    type: 'llm.tokens',
    quantity,
  });
  /** The ledger once it has caught up with the wallet (a projection, it lags): its last line shows the wallet's balance. */
  const settledLedger = () =>
    eventually(async () => {
      const lines = await ledger();
      expect(lines.at(-1)?.balanceAfter).toBe(await balance());
      return lines;
    });

  it('burns a usage event from the wallet within a second, through ingestion, rating and wallets', async () => {
    const before = BigInt(await balance());
    const accepted = await api.post('/v1/events', usage('evt-burn'));
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ id: 'evt-burn', status: 'accepted' });
    const sentAt = Date.now();
    await eventually(async () => expect(BigInt(await balance())).toBe(before - 1_500_000n), 1_000);
    expect(Date.now() - sentAt).toBeLessThan(1_000);

    const entries = await eventually(async () => {
      const lines = await ledger();
      expect(lines.some((line) => line.usageEventId === 'evt-burn')).toBe(true);
      return lines;
    });
    const debit = entries.find((line) => line.usageEventId === 'evt-burn');
    expect(debit).toMatchObject({
      entryType: 'debit',
      amount: '-1500000',
      allocations: [{ grantId: 'grant-welcome', amount: '1500000' }],
    });
  });

  it('refuses a ledger cursor it never returned with a 400 naming cursor', async () => {
    for (const cursor of ['garbage', 'MDAwMDAwMDA', '%7B%7D']) {
      const page = await api.get(`/v1/wallets/acme/ledger?cursor=${cursor}`);
      expect(page.status).toBe(400);
      expect(page.body.errors[0].field).toBe('cursor');
    }
  });

  it('changes nothing when the same event id arrives again', async () => {
    expect((await api.post('/v1/events', usage('evt-twice'))).status).toBe(202);
    await eventually(async () =>
      expect((await ledger()).some((line) => line.usageEventId === 'evt-twice')).toBe(true),
    );
    const settled = await balance();

    const again = await api.post('/v1/events', usage('evt-twice'));
    expect(again.status).toBe(202);
    expect(again.body.status).toBe('duplicate');
    // A different event after the repeat proves the pipeline has moved past it.
    await api.post('/v1/events', usage('evt-after-twice', '1000'));
    await eventually(async () =>
      expect((await ledger()).some((line) => line.usageEventId === 'evt-after-twice')).toBe(true),
    );
    expect(BigInt(await balance())).toBe(BigInt(settled) - 1_000_000n);
    expect((await ledger()).filter((line) => line.usageEventId === 'evt-twice')).toHaveLength(1);
  });

  it('replays a grant sent twice with the same Idempotency-Key and grants once', async () => {
    const before = BigInt(await balance());
    const send = () =>
      api.post(
        '/v1/wallets/acme/grants',
        { amount: '2000000', kind: 'promotional' },
        { headers: { 'idempotency-key': 'promo-1' } },
      );
    expect((await send()).status).toBe(201);
    const replay = await send();
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(BigInt(await balance())).toBe(before + 2_000_000n);
  });

  describe('rejects bad input with problem+json naming the problem, and writes nothing', () => {
    const cases: Array<[string, () => Promise<ApiResponse>, number, string]> = [
      [
        'malformed JSON',
        () => api.post('/v1/events', undefined, { rawBody: '{"id": "evt-x", ' }),
        400,
        'body',
      ],
      [
        'a missing event id',
        () => api.post('/v1/events', { customerId: 'acme', type: 'llm.tokens', quantity: '1' }),
        400,
        'id',
      ],
      [
        'a negative quantity',
        () => api.post('/v1/events', usage('evt-neg', '-3')),
        400,
        'quantity',
      ],
      [
        'a non-numeric quantity',
        () => api.post('/v1/events', usage('evt-nan', 'lots')),
        400,
        'quantity',
      ],
      [
        'a negative JSON number quantity',
        () => api.post('/v1/events', usage('evt-negnum', -3)),
        400,
        'quantity',
      ],
      [
        'an unknown customer',
        () => api.post('/v1/events', { ...usage('evt-who'), customerId: 'nobody' }),
        422,
        'customerId',
      ],
      [
        'a body over the size limit',
        () =>
          api.post('/v1/events', { ...usage('evt-big'), properties: { blob: 'x'.repeat(5_000) } }),
        413,
        'body',
      ],
      [
        'a missing API key',
        () => api.post('/v1/events', usage('evt-nokey'), { apiKey: null }),
        401,
        'authorization',
      ],
      [
        'a wrong API key',
        () => api.post('/v1/events', usage('evt-badkey'), { apiKey: 'bd_wrong' }),
        401,
        'authorization',
      ],
      [
        'a negative grant',
        () =>
          api.post(
            '/v1/wallets/acme/grants',
            { amount: '-5', kind: 'purchased' },
            { headers: { 'idempotency-key': 'neg' } },
          ),
        400,
        'amount',
      ],
    ];

    it.each(cases)('%s', async (name, send, status, field) => {
      const probeId = `evt-probe-${name.replace(/[^a-z0-9]+/gi, '-')}`;
      const ledgerBefore = await settledLedger();
      const balanceBefore = await balance();
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        status,
        title: expect.any(String),
        type: expect.any(String),
      });
      expect(JSON.stringify(response.body.errors ?? [])).toContain(`"field":"${field}"`);
      await api.post('/v1/events', usage(probeId, '1'));
      await eventually(async () =>
        expect((await ledger()).some((line) => line.usageEventId === probeId)).toBe(true),
      );
      const after = await ledger();
      expect(after.length).toBe(ledgerBefore.length + 1);
      expect(BigInt(await balance())).toBe(BigInt(balanceBefore) - 1_000n);
    });
  });

  it('books usage a block wallet cannot cover as uncovered overage, never as a dead letter, and still refuses debit requests', async () => {
    expect((await api.post('/v1/customers', { id: 'broke', name: 'Broke Ltd' })).status).toBe(201);
    const sent = await api.post('/v1/events', { ...usage('evt-uncovered'), customerId: 'broke' });
    expect(sent.status).toBe(202);

    const line = await eventually(async () => {
      const lines = (await api.get('/v1/wallets/broke/ledger')).body.data as Array<
        Record<string, unknown>
      >;
      const found = lines.find((entry) => entry.usageEventId === 'evt-uncovered');
      expect(found).toBeDefined();
      return found;
    });
    expect(line).toMatchObject({
      entryType: 'debit',
      amount: '-1500000',
      allocations: [],
      overdraft: '1500000',
      uncovered: '1500000',
      balanceAfter: '-1500000',
    });
    const wallet = (await api.get('/v1/wallets/broke')).body;
    expect(wallet).toMatchObject({ balance: '-1500000', overage: '1500000' });
    const letters = (await api.get('/v1/dead-letters?limit=200')).body.data as Array<{
      msgId: string;
    }>;
    expect(letters.some((letter) => letter.msgId === 'evt-uncovered')).toBe(false);

    const request = await api.post('/v1/wallets/broke/debits', {
      usageEventId: 'direct-broke',
      feature: 'llm.tokens',
      amount: '1',
    });
    expect(request.status).toBe(402);

    const tooMuch = await api.post(
      '/v1/wallets/broke/overage-settlements',
      { amount: '1500001', outcome: 'written-off', reference: 'goodwill' },
      { headers: { 'idempotency-key': 'settle-too-much' } },
    );
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.type).toBe('urn:burndown:problem:invalid-amount');
    const settled = await api.post(
      '/v1/wallets/broke/overage-settlements',
      { amount: '1500000', outcome: 'written-off', reference: 'goodwill' },
      { headers: { 'idempotency-key': 'settle-broke' } },
    );
    expect(settled.status).toBe(201);
    expect(settled.body.events).toMatchObject([
      { type: 'OverageSettled', data: { amount: '1500000', outcome: 'written-off' } },
    ]);
    expect((await api.get('/v1/wallets/broke')).body).toMatchObject({ balance: '0', overage: '0' });
  });

  it('lists a message no service could handle as a dead letter, with the reason, to admins only', async () => {
    await burndown.bus.publish(
      subjects.usage('acme'),
      { id: 'evt-garbled', customerId: 'acme' },
      { msgId: 'evt-garbled' },
    );
    const letter = await eventually(async () => {
      const listed = await api.get('/v1/dead-letters?limit=50');
      expect(listed.status).toBe(200);
      const found = listed.body.data.find(
        (entry: { msgId: string }) => entry.msgId === 'evt-garbled',
      );
      expect(found).toBeDefined();
      return found;
    });
    expect(letter).toMatchObject({ consumer: 'rating', stream: 'USAGE', deliveries: 1 });
    expect(letter.reason).toContain('type missing');
    expect(letter.payload).toEqual({ id: 'evt-garbled', customerId: 'acme' });

    const ingestOnly = await api.post('/v1/api-keys', { name: 'ingest only', scopes: ['ingest'] });
    expect(ingestOnly.status).toBe(201);
    const forbidden = await api.get('/v1/dead-letters', { apiKey: ingestOnly.body.key });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('carries the trace context from the HTTP request to the wallet.debited event the debit caused', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(
      (await api.post('/v1/events', usage('evt-traced'), { headers: { traceparent } })).status,
    ).toBe(202);
    const relayed = await eventually(async () => {
      const events = await burndown.bus.browse('WALLET_EVENTS', {
        limit: 500,
        filterSubject: subjects.walletEvent('debited', 'acme'),
      });
      const found = events.find(
        (message) =>
          (message.payload as { data?: { usageEventId?: string } }).data?.usageEventId ===
          'evt-traced',
      );
      expect(found).toBeDefined();
      return found;
    });
    expect(relayed?.headers['traceparent']).toBe(traceparent);
  });

  it('keeps the wallet stream hash-chained, so an audit can verify it', async () => {
    const verdict = await api.get('/v1/wallets/acme/verification');
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ walletId: 'acme', intact: true });
    expect(verdict.body.events).toBeGreaterThan(3);
    expect(verdict.body.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves an OpenAPI document a client can be generated from: redocly lint clean, every success body described', async () => {
    const doc = await api.get('/v1/openapi.json', { apiKey: null });
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/v1/customers', '/v1/wallets/{id}/ledger']),
    );
    expect(undescribedSuccesses(doc.body)).toEqual([]);
    const lint = lintOpenApiDocument(doc.body);
    if (!lint.passed) throw new Error(`redocly lint failed:\n${lint.output}`);
  });

  it('tells the entitlements service about balance changes over the bus', async () => {
    const wallet = await balance();
    await eventually(async () => {
      const check = await api.get('/v1/entitlements/acme');
      expect(check.status).toBe(200);
      expect(check.body.balance).toBe(wallet);
    });
  });
});
