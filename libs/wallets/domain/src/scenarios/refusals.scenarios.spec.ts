import { decide } from '../decide';
import type { WalletCommand } from '../wallet-commands';
import type { AutoTopUp, WalletPolicy } from '../wallet-policy';
import type { WalletRejectionCode } from '../wallet-rejection';
import { initialState, type WalletState } from '../wallet-state';
import {
  adjust,
  allowance,
  andThen,
  budget,
  credits,
  days,
  debit,
  expireGrant,
  expireHold,
  given,
  grant,
  hold,
  minutes,
  open,
  policy,
  paid,
  refund,
  refundPurchase,
  release,
  settle,
  T0,
} from '../test-support/wallet-fixtures';

interface Refusal {
  readonly rule: string;
  readonly code: WalletRejectionCode;
  readonly field: string;
  readonly given: () => WalletState;
  readonly command: WalletCommand;
}

const funded = () => given(open(), grant('g', credits(10), { expiresAt: days(30) }));
const withHold = () => andThen(funded(), hold('h', credits(4), { expiresAt: minutes(30) }));
const withBudget = () => andThen(funded(), budget('team', credits(5)));

const refusals: readonly Refusal[] = [
  {
    rule: 'no command on a wallet that was never opened',
    code: 'wallet-not-open',
    field: 'walletId',
    given: initialState,
    command: grant('g', credits(1)),
  },
  {
    rule: 'a wallet opens once',
    code: 'wallet-already-open',
    field: 'id',
    given: funded,
    command: { ...open(), commandId: 'open-again' },
  },

  {
    rule: 'a grant id is used once',
    code: 'grant-already-exists',
    field: 'grantId',
    given: funded,
    command: { ...grant('g', credits(1)), commandId: 'again' },
  },
  {
    rule: 'money is paid back only for a grant that cost money',
    code: 'grant-not-refundable',
    field: 'grantId',
    given: funded,
    command: refundPurchase('rp', 'g', credits(1)),
  },
  {
    rule: 'money is paid back only for credits still in force: expired credit is breakage',
    code: 'grant-not-refundable',
    field: 'grantId',
    given: () =>
      given(open(), grant('bought', credits(10), { costBasis: paid(1), expiresAt: days(1) })),
    command: refundPurchase('rp', 'bought', credits(1), { at: days(2) }),
  },
  {
    rule: 'money is paid back for a grant that exists',
    code: 'grant-not-found',
    field: 'grantId',
    given: funded,
    command: refundPurchase('rp', 'nope', credits(1)),
  },
  {
    rule: 'money is paid back for unused free credit only, not for what a hold earmarked',
    code: 'insufficient-credits',
    field: 'amount',
    given: () =>
      andThen(
        given(open(), grant('bought', credits(10), { costBasis: paid(1) })),
        hold('h', credits(4), { expiresAt: minutes(30) }),
      ),
    command: refundPurchase('rp', 'bought', credits(7)),
  },
  {
    rule: 'a refund id is used once',
    code: 'grant-already-exists',
    field: 'grantId',
    given: () => andThen(funded(), refund('r', credits(1))),
    command: refund('r', credits(1)),
  },
  {
    rule: 'a positive adjustment id is used once',
    code: 'grant-already-exists',
    field: 'grantId',
    given: () => andThen(funded(), adjust('a', credits(1))),
    command: adjust('a', credits(1)),
  },
  {
    rule: 'an allowance period starts once',
    code: 'grant-already-exists',
    field: 'grantId',
    given: () => andThen(funded(), allowance('p1', credits(1), T0, days(30))),
    command: allowance('p1', credits(1), T0, days(30)),
  },

  {
    rule: 'only a known grant can expire',
    code: 'grant-not-found',
    field: 'grantId',
    given: funded,
    command: expireGrant('nope', days(30)),
  },
  {
    rule: 'a grant cannot expire before its expiry',
    code: 'grant-not-expired',
    field: 'grantId',
    given: funded,
    command: expireGrant('g', days(29)),
  },
  {
    rule: 'a grant that never expires cannot be expired',
    code: 'grant-not-expired',
    field: 'grantId',
    given: () => andThen(funded(), grant('forever', credits(1))),
    command: expireGrant('forever', days(9999)),
  },

  {
    rule: 'a hold id is used once',
    code: 'hold-already-exists',
    field: 'holdId',
    given: withHold,
    command: hold('h', credits(1)),
  },
  {
    rule: 'only a known hold can be settled',
    code: 'hold-not-found',
    field: 'holdId',
    given: funded,
    command: settle('nope', credits(1)),
  },
  {
    rule: 'only a known hold can be released',
    code: 'hold-not-found',
    field: 'holdId',
    given: funded,
    command: release('nope'),
  },
  {
    rule: 'only a known hold can expire',
    code: 'hold-not-found',
    field: 'holdId',
    given: funded,
    command: expireHold('nope', days(1)),
  },
  {
    rule: 'a settled hold cannot be settled again',
    code: 'hold-already-resolved',
    field: 'holdId',
    given: () => andThen(withHold(), settle('h', credits(1))),
    command: settle('h', credits(1)),
  },
  {
    rule: 'a hold cannot expire before its expiry',
    code: 'hold-not-expired',
    field: 'holdId',
    given: withHold,
    command: expireHold('h', minutes(29)),
  },

  {
    rule: 'a grant of zero is refused',
    code: 'invalid-amount',
    field: 'amount',
    given: funded,
    command: grant('zero', 0n),
  },
  {
    rule: 'a grant of a negative amount is refused',
    code: 'invalid-amount',
    field: 'amount',
    given: funded,
    command: grant('negative', -credits(1)),
  },
  {
    rule: 'a grant priority is a whole number',
    code: 'invalid-amount',
    field: 'priority',
    given: funded,
    command: grant('p', credits(1), { priority: 1.5 }),
  },
  {
    rule: 'a grant priority is not negative',
    code: 'invalid-amount',
    field: 'priority',
    given: funded,
    command: grant('p', credits(1), { priority: -1 }),
  },
  {
    rule: 'a debit of a negative amount is refused',
    code: 'invalid-amount',
    field: 'amount',
    given: funded,
    command: debit(-1n),
  },
  {
    rule: 'a hold of zero is refused',
    code: 'invalid-amount',
    field: 'amount',
    given: funded,
    command: hold('h0', 0n),
  },
  {
    rule: 'a settlement of a negative amount is refused',
    code: 'invalid-amount',
    field: 'amount',
    given: withHold,
    command: settle('h', -1n),
  },
  {
    rule: 'a refund of zero is refused',
    code: 'invalid-amount',
    field: 'amount',
    given: funded,
    command: refund('r0', 0n),
  },
  {
    rule: 'an adjustment of zero is refused',
    code: 'invalid-amount',
    field: 'amount',
    given: funded,
    command: adjust('a0', 0n),
  },
  {
    rule: 'an allowance of zero is refused',
    code: 'invalid-amount',
    field: 'amount',
    given: funded,
    command: allowance('p0', 0n, T0, days(30)),
  },
  {
    rule: 'a budget cap cannot be negative',
    code: 'invalid-amount',
    field: 'cap',
    given: funded,
    command: budget('team', -1n),
  },

  {
    rule: 'a grant must expire after it takes effect',
    code: 'invalid-time',
    field: 'expiresAt',
    given: funded,
    command: grant('t', credits(1), { effectiveAt: days(2), expiresAt: days(2) }),
  },
  {
    rule: 'a grant cannot expire before it is granted',
    code: 'invalid-time',
    field: 'expiresAt',
    given: funded,
    command: grant('t', credits(1), { expiresAt: new Date(T0.getTime() - 1) }),
  },
  {
    rule: 'a hold must expire in the future',
    code: 'invalid-time',
    field: 'expiresAt',
    given: funded,
    command: hold('t', credits(1), { expiresAt: T0 }),
  },
  {
    rule: 'an allowance period must end after it starts',
    code: 'invalid-time',
    field: 'periodEnd',
    given: funded,
    command: allowance('t', credits(1), days(1), days(1)),
  },

  {
    rule: 'a debit beyond the balance is refused under block',
    code: 'insufficient-credits',
    field: 'amount',
    given: funded,
    command: debit(credits(10) + 1n),
  },
  {
    rule: 'a hold beyond the balance is refused under block',
    code: 'insufficient-credits',
    field: 'amount',
    given: funded,
    command: hold('big', credits(10) + 1n),
  },
  {
    rule: 'a settlement whose extra is not available is refused under block',
    code: 'insufficient-credits',
    field: 'amount',
    given: withHold,
    command: settle('h', credits(10) + 1n),
  },
  {
    rule: 'a negative adjustment beyond what is available is refused',
    code: 'insufficient-credits',
    field: 'amount',
    given: withHold,
    command: adjust('a', -credits(7)),
  },

  {
    rule: 'a debit beyond its budget is refused',
    code: 'budget-exceeded',
    field: 'budgetId',
    given: withBudget,
    command: debit(credits(5) + 1n, { budgetId: 'team' }),
  },
  {
    rule: 'a hold beyond its budget is refused',
    code: 'budget-exceeded',
    field: 'budgetId',
    given: withBudget,
    command: hold('hb', credits(5) + 1n, { budgetId: 'team' }),
  },
  {
    rule: 'a settlement taking its budget over the cap is refused',
    code: 'budget-exceeded',
    field: 'budgetId',
    given: () => andThen(withBudget(), hold('hb', credits(3), { budgetId: 'team' })),
    command: settle('hb', credits(5) + 1n),
  },
  {
    rule: 'a debit for an unknown budget is refused',
    code: 'budget-not-found',
    field: 'budgetId',
    given: funded,
    command: debit(credits(1), { budgetId: 'nope' }),
  },
  {
    rule: 'a hold for an unknown budget is refused',
    code: 'budget-not-found',
    field: 'budgetId',
    given: funded,
    command: hold('hb', credits(1), { budgetId: 'nope' }),
  },
];

const topUp: AutoTopUp = {
  threshold: credits(5),
  amount: credits(20),
  cooldownMs: 60_000,
  maxPerPeriod: 3,
  periodMs: 86_400_000,
};
const capped = {
  mode: 'capped',
  capPercentOfAllowance: 200,
  fixedCap: null,
  expiresAfterMs: null,
} as const;

const invalidPolicies: readonly [string, Partial<WalletPolicy>][] = [
  ['overdraft.limit', { overdraft: { mode: 'allow-to-limit', limit: -1n } }],
  ['autoTopUp.amount', { autoTopUp: { ...topUp, amount: 0n } }],
  ['autoTopUp.threshold', { autoTopUp: { ...topUp, threshold: -1n } }],
  ['autoTopUp.cooldownMs', { autoTopUp: { ...topUp, cooldownMs: -1 } }],
  ['autoTopUp.maxPerPeriod', { autoTopUp: { ...topUp, maxPerPeriod: 0 } }],
  ['autoTopUp.maxPerPeriod', { autoTopUp: { ...topUp, maxPerPeriod: 1.5 } }],
  ['autoTopUp.periodMs', { autoTopUp: { ...topUp, periodMs: 0 } }],
  [
    'alerts.balanceThresholds',
    { alerts: { balanceThresholds: [credits(1), -1n], allowanceUsedPercents: [] } },
  ],
  [
    'alerts.allowanceUsedPercents',
    { alerts: { balanceThresholds: [], allowanceUsedPercents: [0] } },
  ],
  [
    'alerts.allowanceUsedPercents',
    { alerts: { balanceThresholds: [], allowanceUsedPercents: [101] } },
  ],
  [
    'alerts.allowanceUsedPercents',
    { alerts: { balanceThresholds: [], allowanceUsedPercents: [80.5] } },
  ],
  ['rollover', { rollover: { ...capped, fixedCap: credits(1) } }],
  ['rollover', { rollover: { ...capped, capPercentOfAllowance: null } }],
  ['rollover.capPercentOfAllowance', { rollover: { ...capped, capPercentOfAllowance: 0 } }],
  ['rollover.capPercentOfAllowance', { rollover: { ...capped, capPercentOfAllowance: 150.5 } }],
  ['rollover.fixedCap', { rollover: { ...capped, capPercentOfAllowance: null, fixedCap: -1n } }],
  ['dedupeHorizonMs', { dedupeHorizonMs: 0 }],
  ['dedupeHorizonMs', { dedupeHorizonMs: Number.NaN }],
];

describe('refusals: what the wallet will not do', () => {
  it.each(refusals.map((refusal) => [refusal.rule, refusal] as const))(
    '%s',
    (_, { code, field, given: state, command }) => {
      expect(() => decide(command, state())).toThrow(
        expect.objectContaining({ name: 'WalletCommandRejected', code, field }),
      );
    },
  );

  it.each(invalidPolicies)(
    'a policy with an invalid %s is refused as invalid-policy',
    (field, changes) => {
      expect(() => decide(policy(changes), funded())).toThrow(
        expect.objectContaining({ name: 'WalletCommandRejected', code: 'invalid-policy', field }),
      );
    },
  );

  it('a policy at the edges of what is valid is accepted', () => {
    const edges = policy({
      overdraft: { mode: 'allow-to-limit', limit: 0n },
      autoTopUp: { ...topUp, threshold: 0n, cooldownMs: 0, maxPerPeriod: 1 },
      alerts: { balanceThresholds: [0n], allowanceUsedPercents: [1, 100] },
      rollover: { ...capped, capPercentOfAllowance: null, fixedCap: 0n },
      dedupeHorizonMs: 1,
    });

    expect(decide(edges, funded())).toMatchObject([{ type: 'WalletPolicyChanged' }]);
  });

  it('every rejection code the decider has is exercised by a refusal above', () => {
    const allCodes: Record<WalletRejectionCode, true> = {
      'wallet-not-open': true,
      'wallet-already-open': true,
      'grant-already-exists': true,
      'grant-not-found': true,
      'grant-not-expired': true,
      'grant-not-refundable': true,
      'hold-already-exists': true,
      'hold-not-found': true,
      'hold-already-resolved': true,
      'hold-not-expired': true,
      'invalid-amount': true,
      'invalid-time': true,
      'invalid-policy': true,
      'insufficient-credits': true,
      'budget-exceeded': true,
      'budget-not-found': true,
    };
    const exercised = new Set<string>([
      ...refusals.map(({ code }) => code),
      ...(invalidPolicies.length > 0 ? ['invalid-policy'] : []),
    ]);

    expect([...exercised].sort()).toEqual(Object.keys(allCodes).sort());
  });
});
