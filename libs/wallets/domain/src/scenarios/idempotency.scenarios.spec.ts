import { decide } from '../decide';
import type { WalletCommand, WalletCommandType } from '../wallet-commands';
import { balanceAt, type OpenWalletState } from '../wallet-state';
import {
  adjust,
  allowance,
  andThen,
  budget,
  credits,
  days,
  debit,
  eventTypes,
  expireGrant,
  expireHold,
  given,
  grant,
  hold,
  minutes,
  open,
  policy,
  refund,
  release,
  settle,
  T0,
  when,
  rejectedWith,
  paid,
  refundPurchase,
  settleOverage,
} from '../test-support/wallet-fixtures';

const HOUR = 3_600_000;
const at = minutes(30);
const id = { commandId: 'the-command', at };

/** Fifty unrelated commands from `from` on: grants, debits, a budget, a hold placed and released, an adjustment. */
function otherCommands(from: Date, stepMs = 60_000): WalletCommand[] {
  const time = (n: number) => new Date(from.getTime() + n * stepMs);
  return [
    grant('other-grant', credits(1000), { at: time(0) }),
    budget('other-team', credits(1), { at: time(1) }),
    hold('other-hold', credits(1), { at: time(2), expiresAt: time(100) }),
    release('other-hold', { at: time(3) }),
    adjust('other-adjustment', credits(1), { at: time(4) }),
    ...Array.from({ length: 45 }, (_, n) => debit(1n, { at: time(5 + n) })),
  ];
}

interface Scenario {
  readonly given: () => OpenWalletState;
  readonly command: WalletCommand;
}

const funded = () => given(open(), grant('g', credits(100)));

/** One scenario per command type: TypeScript refuses this table if a command type is missing. */
const scenarios: Record<Exclude<WalletCommandType, 'OpenWallet'>, Scenario> = {
  ChangeWalletPolicy: {
    given: funded,
    command: { ...policy({ overdraft: { mode: 'allow-to-limit', limit: credits(5) } }, at), ...id },
  },
  SetBudget: { given: funded, command: budget('team', credits(5), id) },
  GrantCredits: { given: funded, command: grant('g2', credits(5), id) },
  DebitUsage: { given: funded, command: debit(credits(1), id) },
  AdjustCredits: { given: funded, command: adjust('a1', -credits(1), id) },
  RefundCredits: { given: funded, command: refund('r1', credits(1), id) },
  RefundPurchase: {
    given: () => given(open(), grant('bought', credits(10), { costBasis: paid(1) })),
    command: refundPurchase('rp', 'bought', credits(1), id),
  },
  SettleOverage: {
    given: () => andThen(given(open()), debit(credits(3), { alreadyHappened: true })),
    command: settleOverage('s1', credits(1), id),
  },
  PlaceHold: { given: funded, command: hold('h', credits(1), { ...id, expiresAt: days(1) }) },
  SettleHold: {
    given: () => andThen(funded(), hold('h', credits(2), { expiresAt: days(1) })),
    command: settle('h', credits(1), id),
  },
  ReleaseHold: {
    given: () => andThen(funded(), hold('h', credits(2), { expiresAt: days(1) })),
    command: release('h', id),
  },
  ExpireHold: {
    given: () => andThen(funded(), hold('h', credits(2), { expiresAt: at })),
    command: expireHold('h', at, id),
  },
  ExpireGrant: {
    given: () => andThen(funded(), grant('old', credits(2), { expiresAt: at })),
    command: expireGrant('old', at, id),
  },
  StartAllowancePeriod: { given: funded, command: allowance('p1', credits(10), at, days(30), id) },
};

describe('idempotency: a command id changes the ledger once', () => {
  it.each(Object.entries(scenarios))(
    'a repeated %s produces no events, even after many other commands',
    (type, scenario) => {
      expect(scenario.command.type).toBe(type);
      const first = when(scenario.given(), scenario.command);
      expect(first.events.length).toBeGreaterThan(0);

      expect(decide(scenario.command, first.state)).toEqual([]);
      const later = andThen(first.state, ...otherCommands(minutes(60)));
      expect(decide(scenario.command, later)).toEqual([]);
    },
  );

  it('OpenWallet repeated with its id appends nothing; another open of the same wallet is refused', () => {
    const wallet = given(open(), ...otherCommands(minutes(1)));

    expect(decide(open(), wallet)).toEqual([]);
    expect(() => decide({ ...open(), commandId: 'open-again' }, wallet)).toThrow(
      rejectedWith('wallet-already-open'),
    );
  });

  it('a repeated command id is ignored even when its payload differs', () => {
    const wallet = given(
      open(),
      grant('g', credits(10)),
      debit(credits(1), { usageEventId: 'job-1' }),
    );

    expect(decide(debit(credits(5), { usageEventId: 'job-1' }), wallet)).toEqual([]);
    expect(decide({ ...grant('other', credits(5)), commandId: 'grant:g' }, wallet)).toEqual([]);
  });

  it('a refused command is not remembered: retrying the same id once the cause is fixed succeeds', () => {
    const wallet = given(open(), grant('g', credits(1)));
    const usage = debit(credits(5), { usageEventId: 'job-1' });
    expect(() => decide(usage, wallet)).toThrow(rejectedWith('insufficient-credits'));

    expect(eventTypes(decide(usage, andThen(wallet, grant('top-up', credits(10)))))).toEqual([
      'UsageDebited',
    ]);
  });
});

describe('idempotency: the dedupe horizon', () => {
  const usage = debit(credits(1), { usageEventId: 'job-1', at: T0 });
  const charged = () => given(open(), grant('g', credits(100)), usage);

  it('within the horizon (35 days by default) a repeated command id is ignored, up to its last millisecond', () => {
    const wallet = andThen(
      charged(),
      ...otherCommands(days(1), 16 * HOUR),
      debit(1n, { at: days(35) }),
    );

    expect(decide({ ...usage, at: days(35) }, wallet)).toEqual([]);
  });

  it('past the horizon, once a later command has moved the log on, an old command id is forgotten and decided again', () => {
    const wallet = andThen(charged(), debit(1n, { at: new Date(days(35).getTime() + 1) }));

    const { events, state } = when(wallet, { ...usage, at: days(36) });
    expect(events).toMatchObject([
      { type: 'UsageDebited', data: { usageEventId: 'job-1', amount: credits(1) } },
    ]);
    expect(balanceAt(state, days(36))).toBe(credits(98) - 1n);
  });

  it('forgetting is lazy: with no command since the horizon passed, an old command id is still recognised', () => {
    expect(decide({ ...usage, at: days(400) }, charged())).toEqual([]);
  });

  it('the horizon is a policy setting: with one hour, an id is remembered for the hour and forgotten after it', () => {
    const wallet = given(
      open(),
      policy({ dedupeHorizonMs: HOUR }),
      grant('g', credits(100)),
      usage,
    );

    expect(
      decide({ ...usage, at: minutes(60) }, andThen(wallet, debit(1n, { at: minutes(60) }))),
    ).toEqual([]);
    expect(
      eventTypes(
        decide({ ...usage, at: minutes(61) }, andThen(wallet, debit(1n, { at: minutes(61) }))),
      ),
    ).toEqual(['UsageDebited']);
  });
});
