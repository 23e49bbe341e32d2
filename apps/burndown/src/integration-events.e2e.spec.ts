import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ASYNCAPI_DOCUMENT, IntegrationEventSchemas } from '@burndown/contracts';
import { GRANT_KINDS } from '@burndown/wallet-domain';
import { requests, type BusMessage, type JsonValue } from '@burndown/ports';
import { ApiClient, eventually } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

const STREAMS = ['USAGE', 'DEBITS', 'WALLET_EVENTS', 'WALLET_BALANCES'] as const;

// docs/asyncapi.yaml is the contract for downstream consumers: every message the services
// publish in a small scenario must match the schema of its channel, on every topology.
describe(`Burndown (${e2eTopology()}): every published message matches docs/asyncapi.yaml`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;
  const schemas = IntegrationEventSchemas.load();

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({ BURNDOWN_LOG_LEVEL: 'warn' });
    api = new ApiClient(burndown.url, burndown.developmentKey);
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await burndown?.close();
  });

  it('publishes usage, debits, every kind of wallet event and balance summaries that all validate', async () => {
    expect(
      (await api.post('/v1/customers', { id: 'contract-co', name: 'Contract Co.' })).status,
    ).toBe(201);
    const granted = await api.post(
      '/v1/wallets/contract-co/grants',
      { amount: '5000000', kind: 'purchased' },
      { headers: { 'idempotency-key': 'contract-grant' } },
    );
    expect(granted.status).toBe(201);
    for (const id of ['contract-1', 'contract-2', 'contract-3']) {
      const sent = await api.post('/v1/events', {
        id,
        customerId: 'contract-co',
        type: 'llm.tokens',
        quantity: '1000',
        properties: { model: 'small' },
      });
      expect(sent.status).toBe(202);
    }

    const published = await eventually(async () => {
      const messages = (
        await Promise.all(STREAMS.map((stream) => burndown.bus.browse(stream, { limit: 1_000 })))
      ).flat();
      const debited = messages.filter((message) => message.subject.startsWith('wallet.debited.'));
      expect(debited).toHaveLength(3);
      const summaries = messages.filter((message) =>
        message.subject.startsWith('wallet.balance-changed.'),
      );
      // The summary after the last debit: 5 credits granted, 3 × 1 burned.
      expect(summaries.map((message) => message.payload)).toContainEqual(
        expect.objectContaining({ balance: '2000000', available: '2000000' }),
      );
      return messages;
    }, 10_000);

    const seen = new Set<string | undefined>();
    const failures: string[] = [];
    for (const message of published as readonly BusMessage[]) {
      const { channel, errors } = schemas.check(message.subject, message.payload);
      seen.add(channel);
      if (errors.length > 0) failures.push(`${message.subject}: ${errors.join('; ')}`);
    }
    expect(failures).toEqual([]);
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'debits',
        'usage',
        'walletBalanceChanged',
        'walletDebited',
        'walletGranted',
        'walletOpened',
      ]),
    );
    // What finance reads off a debit: the amount and the grants it drew on, with their terms.
    const debit = (published as readonly BusMessage[]).find(
      (message) =>
        (message.payload as { data?: { usageEventId?: string } }).data?.usageEventId ===
        'contract-1',
    );
    expect(debit?.subject).toBe('wallet.debited.contract-co');
    expect(debit?.payload).toMatchObject({
      type: 'UsageDebited',
      delta: '-1000000',
      // The three events may be debited in any order: 5 credits less one, two or three.
      balance: expect.stringMatching(/^[234]000000$/),
      held: '0',
      overage: '0',
      data: {
        usageEventId: 'contract-1',
        feature: 'llm.tokens',
        amount: '1000000',
        overdraft: '0',
        allocations: [
          { amount: '1000000', kind: 'purchased', costBasis: { currency: expect.any(String) } },
        ],
      },
    });
  });

  it('answers the customer lookup and wallet commands with replies that validate, requests too', async () => {
    const asked: Array<[string, JsonValue]> = [
      [requests.customerLookup, { customerId: 'contract-co' }],
      [requests.customerLookup, { customerId: 'nobody-here' }],
      [
        requests.walletCommand,
        {
          walletId: 'contract-co',
          command: {
            type: 'PlaceHold',
            commandId: 'contract-hold',
            holdId: 'contract-hold',
            amount: '1000',
            feature: 'gpu.seconds',
            expiresAt: '2099-01-01T00:00:00Z',
          },
        },
      ],
      [
        requests.walletCommand,
        {
          walletId: 'contract-co',
          command: {
            type: 'SettleHold',
            commandId: 'contract-settle',
            holdId: 'nope',
            amount: '1',
          },
        },
      ],
    ];
    const failures: string[] = [];
    const answers: JsonValue[] = [];
    for (const [subject, payload] of asked) {
      const sent = schemas.check(subject, payload);
      if (sent.errors.length > 0) failures.push(`request on ${subject}: ${sent.errors.join('; ')}`);
      const reply = await burndown.bus.request(subject, payload, { timeoutMs: 5_000 });
      answers.push(reply);
      const answered = schemas.checkReply(subject, reply);
      if (answered.errors.length > 0)
        failures.push(`reply on ${subject}: ${answered.errors.join('; ')}`);
    }
    expect(failures).toEqual([]);
    expect(answers).toMatchObject([
      { exists: true },
      { exists: false },
      { ok: true },
      { ok: false, code: 'hold-not-found' },
    ]);
    // The hold placed over the bus is published too, with the credit it took out of available.
    const held = await eventually(async () => {
      const [message] = await burndown.bus.browse('WALLET_EVENTS', {
        limit: 10,
        filterSubject: 'wallet.hold-placed.contract-co',
      });
      expect(message).toBeDefined();
      return message as BusMessage;
    }, 10_000);
    expect(schemas.check(held.subject, held.payload)).toEqual({
      channel: 'walletHoldPlaced',
      errors: [],
    });
    expect(held.payload).toMatchObject({ type: 'CreditsHeld', delta: '0', held: '1000' });
  });

  it('names the same grant kinds as the wallet domain', () => {
    const document = parse(readFileSync(ASYNCAPI_DOCUMENT, 'utf8')) as {
      components: { schemas: { GrantKind: { enum: string[] } } };
    };
    expect(document.components.schemas.GrantKind.enum).toEqual([...GRANT_KINDS]);
  });
});
