import fc from 'fast-check';
import {
  ApiClient,
  documentedOperations,
  eventually,
  malformedRequest,
  takesInput,
  wellFormedRequest,
  type DocumentedOperation,
  type GeneratedRequest,
} from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

// Every operation of the served OpenAPI document, fuzzed: malformed requests (broken bodies, wrong
// types, garbage ids, bad headers and query parameters) must all be 4xx problem+json and change
// nothing; well-formed ones generated from the schemas must never be a 5xx. Every answer is also
// held to the document by ApiClient. BURNDOWN_FUZZ_RUNS sets the cases per phase (`npm run
// test:fuzz` runs 5,000).
const RUNS = Number(process.env['BURNDOWN_FUZZ_RUNS'] ?? 250);
const embeddedOnly =
  e2eTopology() === 'embedded' && (process.env['BURNDOWN_BUS'] ?? 'embedded') === 'embedded';
if (!embeddedOnly)
  // Straight to stderr: jest drops what a file whose tests are all skipped logs through console.
  process.stderr.write(
    'requests-fuzzed: skipped on this run: the fuzz suite runs against the embedded deployment only (npm run test:e2e)\n',
  );
const describeEmbedded = embeddedOnly ? describe : describe.skip;

/** Real ids: requests that name them reach real wallets, grants, holds and budgets. */
const REAL_IDS = {
  id: 'fuzz-co',
  customerId: 'fuzz-co',
  grantId: 'g1',
  holdId: 'h1',
  budgetId: 'b1',
  cardId: 'default',
  version: '1',
  planId: 'fuzz-plan',
  subscriptionId: 'fuzz-sub',
  invoiceId: 'fuzz-invoice',
  sequence: '1',
};

describeEmbedded('Burndown (embedded): every operation fuzzed from the OpenAPI document', () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;
  let operations: DocumentedOperation[];
  let document: Record<string, unknown>;

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({ BURNDOWN_LOG_LEVEL: 'error' });
    api = new ApiClient(burndown.url, burndown.developmentKey);
    document = (await api.get('/v1/openapi.json', { apiKey: null })).body;
    operations = documentedOperations(document);
    expect((await api.post('/v1/customers', { id: 'fuzz-co', name: 'Fuzz' })).status).toBe(201);
    expect(
      (
        await api.post('/v1/wallets/fuzz-co/grants', {
          grantId: 'g1',
          kind: 'purchased',
          amount: '5000000',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api.post('/v1/wallets/fuzz-co/holds', {
          holdId: 'h1',
          amount: '1000000',
          feature: 'gpu',
        })
      ).status,
    ).toBe(201);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
  });

  /** What a refused request must leave as it was. */
  const snapshot = async () =>
    Object.fromEntries(
      await Promise.all(
        [
          '/v1/wallets/fuzz-co',
          '/v1/wallets/fuzz-co/ledger?limit=200',
          '/v1/customers/fuzz-co',
          '/v1/revenue/customers/fuzz-co',
          '/v1/revenue/periods',
          '/v1/dead-letters',
          '/v1/api-keys?limit=200',
        ].map(async (path) => {
          const answer = await api.get(path);
          return [path, { status: answer.status, body: answer.body }];
        }),
      ),
    );

  const send = (request: GeneratedRequest) =>
    api.send(request.method, request.path, {
      ...(request.rawBody === undefined ? {} : { rawBody: request.rawBody }),
      headers: { ...request.headers },
    });
  const described = (request: GeneratedRequest, status: number, text: string) =>
    `${request.operation} (${request.malformation ?? 'well-formed'}) ${request.method} ${request.path.slice(0, 200)} body ${String(request.rawBody).slice(0, 200)} → ${status} ${text.slice(0, 300)}`;

  it(`answers ${RUNS} malformed requests with a 4xx problem and changes nothing`, async () => {
    expect(operations.length).toBeGreaterThan(50);
    // The projections catch up with the setup first: what follows must not move them at all.
    await eventually(async () =>
      expect((await api.get('/v1/wallets/fuzz-co/ledger')).body.data).toHaveLength(2),
    );
    const before = await snapshot();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...operations.filter(takesInput))
          .chain((operation) => malformedRequest(document, operation, REAL_IDS)),
        async (request) => {
          sent++;
          const answer = await send(request);
          if (answer.status < 400 || answer.status >= 500)
            throw new Error(`not refused: ${described(request, answer.status, answer.text)}`);
          if (!(answer.headers.get('content-type') ?? '').startsWith('application/problem+json'))
            throw new Error(
              `a refusal without problem+json: ${described(request, answer.status, answer.text)}`,
            );
        },
      ),
      { numRuns: RUNS, seed: Number(process.env['BURNDOWN_FUZZ_SEED'] ?? Date.now() % 1_000_000) },
    );
    console.log(
      `requests-fuzzed: ${sent} malformed requests over ${operations.length} operations, every one a 4xx problem`,
    );
    expect(await snapshot()).toEqual(before);
  }, 300_000);

  it(`never answers ${RUNS} well-formed requests with a 5xx`, async () => {
    const ids = fc.record(
      Object.fromEntries(
        Object.entries(REAL_IDS).map(([name, real]) => [
          name,
          fc.constantFrom(real, `fuzz-${name}-x`, '__proto__', 'constructor'),
        ]),
      ) as Record<keyof typeof REAL_IDS, fc.Arbitrary<string>>,
    );
    let sent = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...operations)
          .chain((operation) => wellFormedRequest(document, operation, ids)),
        async (request) => {
          sent++;
          const answer = await send(request);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status >= 500)
            throw new Error(`a server error: ${described(request, answer.status, answer.text)}`);
        },
      ),
      { numRuns: RUNS, seed: Number(process.env['BURNDOWN_FUZZ_SEED'] ?? Date.now() % 1_000_000) },
    );
    const tally = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}×${count}`);
    console.log(`requests-fuzzed: ${sent} well-formed requests, none a 5xx (${tally.join(', ')})`);
  }, 300_000);
});
