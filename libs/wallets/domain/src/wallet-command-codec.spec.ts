import {
  decodeWalletCommand,
  encodeWalletCommand,
  UndecodableWalletCommandError,
} from './wallet-command-codec';
import type { WalletCommand } from './wallet-commands';
import { DEFAULT_WALLET_POLICY } from './wallet-policy';

const at = new Date('2026-11-01T00:00:00Z');
const later = new Date('2026-12-01T00:00:00Z');

const everyCommand: readonly WalletCommand[] = [
  { type: 'OpenWallet', commandId: 'c1', at, walletId: 'w', customerId: 'c', name: 'C' },
  {
    type: 'ChangeWalletPolicy',
    commandId: 'c2',
    at,
    policy: { ...DEFAULT_WALLET_POLICY, overdraft: { mode: 'allow-to-limit', limit: 5n } },
  },
  { type: 'SetBudget', commandId: 'c3', at, budgetId: 'team', cap: 10n },
  {
    type: 'GrantCredits',
    commandId: 'c4',
    at,
    grantId: 'g',
    kind: 'purchased',
    amount: 10n ** 25n,
    costBasis: { currency: 'USD', microsPerCredit: 1_000_000n },
    priority: 5,
    effectiveAt: at,
    expiresAt: later,
    scope: ['images'],
    source: 'order-1',
  },
  { type: 'GrantCredits', commandId: 'c4b', at, grantId: 'g2', kind: 'promotional', amount: 1n },
  {
    type: 'DebitUsage',
    commandId: 'c5',
    at,
    usageEventId: 'e',
    feature: 'llm',
    amount: 3n,
    budgetId: 'team',
  },
  {
    type: 'AdjustCredits',
    commandId: 'c6',
    at,
    adjustmentId: 'a',
    amount: -7n,
    reason: 'goodwill reversal',
  },
  { type: 'RefundCredits', commandId: 'c7', at, refundId: 'r', amount: 7n, reason: 'outage' },
  {
    type: 'PlaceHold',
    commandId: 'c8',
    at,
    holdId: 'h',
    amount: 9n,
    feature: 'gpu',
    expiresAt: later,
  },
  { type: 'SettleHold', commandId: 'c9', at, holdId: 'h', amount: 4n },
  { type: 'ReleaseHold', commandId: 'c10', at, holdId: 'h' },
  { type: 'ExpireHold', commandId: 'c11', at, holdId: 'h' },
  { type: 'ExpireGrant', commandId: 'c12', at, grantId: 'g' },
  {
    type: 'StartAllowancePeriod',
    commandId: 'c13',
    at,
    periodId: 'p',
    amount: 100n,
    periodEnd: later,
  },
];

describe('wallet command JSON codec (the bus form of every command)', () => {
  it.each(everyCommand.map((command) => [command.type, command] as const))(
    'round-trips %s through JSON',
    (_, command) => {
      expect(decodeWalletCommand(JSON.parse(JSON.stringify(encodeWalletCommand(command))))).toEqual(
        command,
      );
    },
  );

  it.each([
    [{ type: 'Teleport' }, 'type'],
    [
      {
        type: 'DebitUsage',
        commandId: 'c',
        at: at.toISOString(),
        usageEventId: 'e',
        feature: 'f',
        amount: 5,
      },
      'amount',
    ],
    [
      {
        type: 'DebitUsage',
        commandId: 'c',
        at: 'yesterday',
        usageEventId: 'e',
        feature: 'f',
        amount: '5',
      },
      'at',
    ],
    [
      {
        type: 'GrantCredits',
        commandId: 'c',
        at: at.toISOString(),
        grantId: 'g',
        kind: 'stolen',
        amount: '5',
      },
      'kind',
    ],
    [
      {
        type: 'AdjustCredits',
        commandId: 'c',
        at: at.toISOString(),
        adjustmentId: 'a',
        amount: '-1.5',
        reason: 'x',
      },
      'amount',
    ],
    [
      {
        type: 'ChangeWalletPolicy',
        commandId: 'c',
        at: at.toISOString(),
        policy: {
          ...JSON.parse(JSON.stringify(encodeWalletCommand(everyCommand[1]!)))['policy'],
          overdraft: { mode: 'sometimes' },
        },
      },
      'policy.overdraft.mode',
    ],
  ])('refuses %j naming the field %s', (json, field) => {
    let caught: unknown;
    try {
      decodeWalletCommand(json);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UndecodableWalletCommandError);
    expect((caught as UndecodableWalletCommandError).field).toBe(field);
  });
});
