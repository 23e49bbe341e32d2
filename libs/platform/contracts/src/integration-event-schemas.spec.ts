import { WALLET_EVENT_KINDS } from '@burndown/ports';
import { IntegrationEventSchemas } from './integration-event-schemas';

describe('the AsyncAPI document, as a checker of published messages', () => {
  const schemas = IntegrationEventSchemas.load();
  const usage = {
    id: 'evt-1',
    customerId: 'acme',
    type: 'llm.tokens',
    quantity: '1500',
    timestamp: '2026-12-03T08:00:00.000Z',
    properties: { model: 'small' },
    providerCostMicros: null,
    receivedAt: '2026-12-03T08:00:00.100Z',
  };

  it('knows a channel for each subject kind the services publish or ask on', () => {
    expect(schemas.channelNames).toEqual([
      'usage',
      'debits',
      'walletBalanceChanged',
      ...WALLET_EVENT_KINDS.map(
        (kind) =>
          `wallet${kind
            .split('-')
            .map((word) => `${word[0]?.toUpperCase() ?? ''}${word.slice(1)}`)
            .join('')}`,
      ),
      'customerLookup',
      'walletCommand',
    ]);
    expect(schemas.check('wallet.hold-settled.acme', {}).channel).toBe('walletHoldSettled');
    expect(schemas.check('usage.acme', usage)).toEqual({ channel: 'usage', errors: [] });
    expect(schemas.check('debits.3.acme', {}).channel).toBe('debits');
    expect(schemas.check('wallet.balance-changed.acme', {}).channel).toBe('walletBalanceChanged');
  });

  it('refuses a subject no channel has, and a subject with a token too many', () => {
    expect(schemas.check('invoices.acme', usage).channel).toBeUndefined();
    expect(schemas.check('usage.acme.extra', usage).channel).toBeUndefined();
  });

  it('names what is wrong with a payload: an amount as a number, a field unknown, one missing', () => {
    const { errors } = schemas.check('usage.acme', {
      ...usage,
      quantity: 1500,
      colour: 'red',
      receivedAt: undefined,
    });
    expect(errors.join('; ')).toMatch(/\/quantity must be string/);
    expect(errors.join('; ')).toMatch(/must NOT have additional properties/);
    expect(errors.join('; ')).toMatch(/must have required property 'receivedAt'/);
    expect(schemas.check('usage.acme', { ...usage, timestamp: 'yesterday' }).errors.join()).toMatch(
      /timestamp must match format "date-time"/,
    );
  });

  it('holds a request and its reply to the operation that declares them', () => {
    expect(schemas.check('wallets.customers.lookup', { customerId: 'acme' }).errors).toEqual([]);
    expect(
      schemas.checkReply('wallets.customers.lookup', { exists: true, walletId: 'acme' }).errors,
    ).toEqual([]);
    expect(schemas.checkReply('wallets.customers.lookup', { exists: 'yes' }).errors).not.toEqual(
      [],
    );
    const refusal = { ok: false, code: 'hold-not-found', field: 'holdId', detail: 'no hold nope' };
    expect(schemas.checkReply('wallets.commands.execute', refusal).errors).toEqual([]);
    expect(
      schemas.checkReply('wallets.commands.execute', { ...refusal, ok: true }).errors,
    ).not.toEqual([]);
    expect(schemas.checkReply('usage.acme', {}).errors).toEqual([
      'channel usage declares no such message',
    ]);
  });
});
