import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, eventually } from '@burndown/testing';
import { e2eTopology } from '../../../tools/e2e/burndown-under-test';
import { crashableBurndown } from '../../../tools/e2e/crashable-burndown';

// kill -9 right after a 202: the event must be applied exactly once after a restart. Distributed,
// every service is killed and restarted at once, behind a gateway that stays up.
describe(`Burndown (${e2eTopology()}) survives kill -9`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'burndown-crash-'));
  const burndown = crashableBurndown(dataDir);
  const start = async () => {
    const { url, apiKey } = await burndown.start();
    return new ApiClient(url, apiKey);
  };
  // On NATS a message the killed process had taken comes back after the consumer's ack wait (30 s).
  const recoveryMs = burndown.onNats ? 45_000 : 10_000;

  afterAll(async () => {
    await burndown.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // The ledger first: it is projected from the wallet stream, so once it shows a debit the wallet has it too.
  const snapshot = async (api: ApiClient) => {
    const ledger = (await api.get('/v1/wallets/acme/ledger?limit=200')).body.data as Array<
      Record<string, unknown>
    >;
    return { ledger, wallet: (await api.get('/v1/wallets/acme')).body };
  };

  it('applies an event acknowledged just before the kill exactly once, and loses nothing after', async () => {
    let api = await start();
    expect((await api.post('/v1/customers', { id: 'acme', name: 'Acme' })).status).toBe(201);
    const grant = await api.post(
      '/v1/wallets/acme/grants',
      { amount: '10000000', kind: 'purchased' },
      {
        headers: { 'idempotency-key': 'g-1' },
      },
    );
    expect(grant.status).toBe(201);

    const accepted = await api.post('/v1/events', {
      id: 'evt-crash',
      customerId: 'acme',
      type: 'llm.tokens',
      quantity: '1500',
    });
    expect(accepted.status).toBe(202);
    await burndown.killAll();

    api = await start();
    const afterRestart = await eventually(async () => {
      const state = await snapshot(api);
      expect(state.ledger.filter((line) => line.usageEventId === 'evt-crash')).toHaveLength(1);
      return state;
    }, recoveryMs);
    expect(afterRestart.wallet.balance).toBe('8500000');
    expect(afterRestart.ledger.map((line) => line.entryType)).toEqual(['grant', 'debit']);

    // Resending after the crash is a duplicate, still burning once.
    const resent = await api.post('/v1/events', {
      id: 'evt-crash',
      customerId: 'acme',
      type: 'llm.tokens',
      quantity: '1500',
    });
    expect(resent.status).toBe(202);

    await burndown.killAll();
    api = await start();
    await api.post('/v1/events', {
      id: 'evt-next',
      customerId: 'acme',
      type: 'llm.tokens',
      quantity: '1000',
    });
    const final = await eventually(async () => {
      const state = await snapshot(api);
      expect(state.ledger.some((line) => line.usageEventId === 'evt-next')).toBe(true);
      return state;
    }, recoveryMs);
    expect(final.ledger.slice(0, 2)).toEqual(afterRestart.ledger);
    expect(final.ledger.filter((line) => line.usageEventId === 'evt-crash')).toHaveLength(1);
    expect(final.wallet.balance).toBe('7500000');
  }, 240_000);
});
