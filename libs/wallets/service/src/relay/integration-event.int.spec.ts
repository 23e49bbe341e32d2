// Held to docs/asyncapi.yaml, the contract downstream consumers build on (hence an integration spec).
import { IntegrationEventSchemas } from '@burndown/contracts';
import type { RecordedEvent } from '@burndown/ports';
import {
  DEFAULT_WALLET_POLICY,
  encodeWalletEvent,
  walletDecider,
  type WalletCommand,
  type WalletEvent,
  type WalletEventType,
  type WalletState,
} from '@burndown/wallet-domain';
import {
  KIND_OF_EVENT,
  balanceSummaryOf,
  walletEventMessageOf,
  type IntegrationMessage,
} from './integration-event';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const CREDIT = 1_000_000n;
const EUR_CENT = { currency: 'EUR', microsPerCredit: 1_000_000n };
const EUR_CENT_JSON = { currency: 'EUR', microsPerCredit: '1000000' };

/** A wallet's life that makes every kind of wallet event at least once. */
const LIFE: readonly WalletCommand[] = [
  { type: 'OpenWallet', commandId: 'open', at: at(0), walletId: 'w', customerId: 'c', name: 'C' },
  {
    type: 'ChangeWalletPolicy',
    commandId: 'policy',
    at: at(0),
    policy: {
      ...DEFAULT_WALLET_POLICY,
      autoTopUp: {
        threshold: 3n * CREDIT,
        amount: 10n * CREDIT,
        cooldownMs: 60_000,
        maxPerPeriod: 5,
        periodMs: 86_400_000,
      },
      alerts: { balanceThresholds: [2n * CREDIT], allowanceUsedPercents: [50] },
    },
  },
  { type: 'SetBudget', commandId: 'budget', at: at(0), budgetId: 'team', cap: 5n * CREDIT },
  {
    type: 'GrantCredits',
    commandId: 'buy',
    at: at(0),
    grantId: 'bought',
    kind: 'purchased',
    amount: 4n * CREDIT,
    costBasis: EUR_CENT,
    expiresAt: at(60),
  },
  {
    type: 'StartAllowancePeriod',
    commandId: 'period-1',
    at: at(0),
    periodId: 'p1',
    amount: 2n * CREDIT,
    periodEnd: at(30),
  },
  {
    type: 'DebitUsage',
    commandId: 'usage:u1',
    at: at(1),
    usageEventId: 'u1',
    feature: 'llm.tokens',
    amount: 1n * CREDIT + 500_000n,
  },
  {
    type: 'AdjustCredits',
    commandId: 'fix',
    at: at(2),
    adjustmentId: 'fix',
    amount: -500_000n,
    reason: 'double-counted',
  },
  {
    type: 'PlaceHold',
    commandId: 'hold-1',
    at: at(3),
    holdId: 'h1',
    amount: CREDIT,
    feature: 'gpu.seconds',
    expiresAt: at(10),
  },
  { type: 'SettleHold', commandId: 'settle-1', at: at(4), holdId: 'h1', amount: 500_000n },
  {
    type: 'PlaceHold',
    commandId: 'hold-2',
    at: at(5),
    holdId: 'h2',
    amount: 500_000n,
    feature: 'gpu.seconds',
    expiresAt: at(10),
  },
  { type: 'ReleaseHold', commandId: 'release-2', at: at(6), holdId: 'h2' },
  {
    type: 'PlaceHold',
    commandId: 'hold-3',
    at: at(7),
    holdId: 'h3',
    amount: 500_000n,
    feature: 'gpu.seconds',
    expiresAt: at(8),
  },
  { type: 'ExpireHold', commandId: 'expire-3', at: at(9), holdId: 'h3' },
  {
    type: 'DebitUsage',
    commandId: 'usage:u2',
    at: at(11),
    usageEventId: 'u2',
    feature: 'llm.tokens',
    amount: 2n * CREDIT,
  },
  {
    type: 'RefundPurchase',
    commandId: 'refund-unused',
    at: at(12),
    refundId: 'rp1',
    grantId: 'bought',
    amount: 500_000n,
    reason: 'cancelled',
  },
  { type: 'ExpireGrant', commandId: 'expire-bought', at: at(61), grantId: 'bought' },
  {
    type: 'RefundCredits',
    commandId: 'refund',
    at: at(62),
    refundId: 'r1',
    amount: 3n * CREDIT,
    reason: 'outage',
  },
  // Rated usage beyond every grant: booked as uncovered overage, then written off.
  {
    type: 'DebitUsage',
    commandId: 'usage:u3',
    at: at(63),
    usageEventId: 'u3',
    feature: 'llm.tokens',
    amount: 100n * CREDIT,
    alreadyHappened: true,
  },
  {
    type: 'SettleOverage',
    commandId: 'settle-u3',
    at: at(64),
    settlementId: 's1',
    amount: CREDIT,
    outcome: 'written-off',
    reference: 'goodwill',
  },
];

function live(): { recorded: RecordedEvent; event: WalletEvent; state: WalletState }[] {
  const lived: { recorded: RecordedEvent; event: WalletEvent; state: WalletState }[] = [];
  let state = walletDecider.initialState();
  for (const command of LIFE) {
    for (const event of walletDecider.decide(command, state)) {
      state = walletDecider.evolve(state, event);
      const revision = BigInt(lived.length);
      lived.push({
        event,
        state,
        recorded: {
          streamName: 'wallet-w',
          revision,
          position: revision + 100n,
          eventId: `event-${revision}`,
          type: event.type,
          data: encodeWalletEvent(event).data,
          metadata: {},
          recordedAt: event.data.at,
        },
      });
    }
  }
  return lived;
}

describe('wallet integration messages', () => {
  const schemas = IntegrationEventSchemas.load();
  const lived = live();
  const messages = lived.map(
    ({ recorded, event, state }) =>
      walletEventMessageOf('w', recorded, event, state) as IntegrationMessage,
  );

  it('publishes each kind of wallet event on its own subject, valid against docs/asyncapi.yaml', () => {
    const seen = new Set(lived.map(({ event }) => event.type));
    expect([...seen].sort()).toEqual(Object.keys(KIND_OF_EVENT).sort());
    const failures = messages.flatMap((message) => {
      const { errors } = schemas.check(message.subject, message.payload);
      return errors.map((error) => `${message.subject}: ${error}`);
    });
    expect(failures).toEqual([]);
    for (const [type, kind] of Object.entries(KIND_OF_EVENT)) {
      const message = messages.find((candidate) => candidate.payload['type'] === type);
      expect(message?.subject).toBe(`wallet.${kind}.w`);
      expect(schemas.check(message?.subject ?? '', message?.payload).channel).toMatch(/^wallet/);
    }
  });

  it('refuses a message whose data is not its kind', () => {
    const debited = messages.find((message) => message.payload['type'] === 'UsageDebited');
    const granted = messages.find((message) => message.payload['type'] === 'CreditsGranted');
    expect(
      schemas.check(debited?.subject ?? '', { ...debited?.payload, data: granted?.payload['data'] })
        .errors,
    ).not.toEqual([]);
  });

  it('carries the amounts finance needs: the delta, the grants drawn with their terms, what an expiry removed', () => {
    const byType = (type: WalletEventType) =>
      messages.filter((message) => message.payload['type'] === type).map(({ payload }) => payload);
    const [firstDebit] = byType('UsageDebited');
    // 1.5 credits, all from the allowance: it expires soonest.
    expect(firstDebit).toMatchObject({
      delta: '-1500000',
      data: {
        amount: '1500000',
        allocations: [{ amount: '1500000', kind: 'allowance', costBasis: { currency: 'XXX' } }],
      },
    });
    expect(byType('CreditsGranted').map((payload) => payload['delta'])).toEqual([
      '4000000',
      '2000000',
      '3000000',
    ]);
    expect(byType('HoldSettled')[0]).toMatchObject({ delta: '-500000', held: '0' });
    expect(byType('CreditsHeld')[0]).toMatchObject({ delta: '0', held: '1000000' });
    const [expired] = byType('GrantExpired');
    expect(expired).toMatchObject({
      data: { grantId: 'bought', kind: 'purchased', costBasis: { currency: 'EUR' } },
    });
    expect(BigInt(expired?.['delta'] as string)).toBe(
      -BigInt((expired?.['data'] as { amount: string }).amount),
    );
    expect(byType('PurchaseRefunded')[0]).toMatchObject({
      delta: '-500000',
      data: { grantId: 'bought', amount: '500000', kind: 'purchased', costBasis: EUR_CENT_JSON },
    });
    // Every delta adds up to the balance at the end.
    const total = messages.reduce(
      (sum, { payload }) => sum + BigInt(payload['delta'] as string),
      0n,
    );
    expect(total.toString()).toBe(messages.at(-1)?.payload['balance']);
  });

  it('summarises where the wallet stands on balance-changed, valid against the document', () => {
    const last = lived.at(-1) as (typeof lived)[number];
    const summary = balanceSummaryOf('w', messages.at(-1) as IntegrationMessage);
    expect(summary.subject).toBe('wallet.balance-changed.w');
    expect(summary.msgId).toBe(`balance-changed:${last.recorded.eventId}`);
    expect(schemas.check(summary.subject, summary.payload)).toEqual({
      channel: 'walletBalanceChanged',
      errors: [],
    });
    expect(summary.payload['balance']).toBe(messages.at(-1)?.payload['balance']);
  });
});
