// Wallet messages as docs/asyncapi.yaml defines them (each checked against it), read by revenue
// recognition: the contract between the two contexts, held from the reading side.
import { IntegrationEventSchemas } from '@burndown/contracts';
import { PermanentFailure, type JsonObject } from '@burndown/ports';
import { messages } from '../test-support/wallet-messages';
import { revenueFactsOf } from './revenue-facts';

describe('revenue facts from wallet messages', () => {
  const schemas = IntegrationEventSchemas.load();

  it('reads messages that match docs/asyncapi.yaml', () => {
    for (const [name, { subject, payload }] of Object.entries(messages))
      expect({ name, ...schemas.check(subject, payload) }).toMatchObject({ name, errors: [] });
  });

  it('a paid grant is a purchase; credits that cost nothing are not', () => {
    expect(revenueFactsOf(messages.granted.payload)).toEqual([
      {
        type: 'CreditsPurchased',
        data: {
          eventId: 'event-granted',
          customerId: 'acme',
          grantId: 'pack',
          amount: 5_000_000n,
          costBasis: { currency: 'USD', microsPerCredit: 2_000_000n },
          at: new Date('2026-12-02T10:00:00.000Z'),
        },
      },
    ]);
    expect(revenueFactsOf(messages.promoGranted.payload)).toEqual([]);
  });

  it('a debit burns each grant it drew on, dated when the usage happened', () => {
    const facts = revenueFactsOf(messages.debited.payload);
    expect(
      facts.map(({ type, data }) => [type, data.grantId, data.amount, data.at.toISOString()]),
    ).toEqual([
      ['CreditsBurned', 'promo', 200_000n, '2026-11-30T23:59:00.000Z'],
      ['CreditsBurned', 'pack', 300_000n, '2026-11-30T23:59:00.000Z'],
    ]);
    expect(revenueFactsOf(messages.settled.payload)).toMatchObject([
      { type: 'CreditsBurned', data: { grantId: 'pack', amount: 300_000n } },
    ]);
  });

  it('an expiry is breakage on the expiry date, a deduction is breakage, a purchase refund is a refund', () => {
    expect(revenueFactsOf(messages.expired.payload)).toMatchObject([
      {
        type: 'CreditsForfeited',
        data: { reason: 'expired', amount: 700_000n, at: new Date('2027-01-31T23:59:59.000Z') },
      },
    ]);
    expect(revenueFactsOf(messages.deducted.payload)).toMatchObject([
      { type: 'CreditsForfeited', data: { reason: 'deducted', grantId: 'pack', amount: 300_000n } },
    ]);
    expect(revenueFactsOf(messages.refunded.payload)).toMatchObject([
      { type: 'CreditsRefunded', data: { grantId: 'pack', amount: 1_000_000n } },
    ]);
  });

  it('ignores what says nothing about revenue, and refuses a broken message for good', () => {
    expect(revenueFactsOf(messages.alert.payload)).toEqual([]);
    expect(revenueFactsOf({ walletId: 'acme', balance: '1' })).toEqual([]);
    const broken = {
      ...messages.debited.payload,
      data: { ...(messages.debited.payload['data'] as JsonObject), allocations: 'all' },
    };
    expect(() => revenueFactsOf(broken)).toThrow(PermanentFailure);
  });
});
