import type { AutoTopUp } from '../wallet-policy';
import type { OpenWalletState } from '../wallet-state';
import {
  allowance,
  andThen,
  credits,
  days,
  debit,
  eventTypes,
  expireGrant,
  given,
  grant,
  hold,
  minutes,
  open,
  policy,
  settle,
  T0,
  when,
} from '../test-support/wallet-fixtures';

const HOUR = 3_600_000;
const thresholds = (...balanceThresholds: bigint[]) =>
  policy({ alerts: { balanceThresholds, allowanceUsedPercents: [] } });

describe('low-balance alerts', () => {
  const wallet = () => given(open(), thresholds(credits(5)), grant('g', credits(10)));

  it('fires when available credit crosses below a threshold', () => {
    const { events } = when(wallet(), debit(credits(6)));

    expect(events).toMatchObject([
      { type: 'UsageDebited' },
      { type: 'LowBalanceAlerted', data: { threshold: credits(5), available: credits(4) } },
    ]);
  });

  it('does not fire when available credit lands exactly on the threshold', () => {
    expect(eventTypes(when(wallet(), debit(credits(5))).events)).toEqual(['UsageDebited']);
  });

  it('does not fire again while the balance stays below the threshold', () => {
    const below = andThen(wallet(), debit(credits(6)));

    expect(eventTypes(when(below, debit(credits(1))).events)).toEqual(['UsageDebited']);
    expect(eventTypes(when(below, grant('small', credits(0.5))).events)).toEqual([
      'CreditsGranted',
    ]);
  });

  it('fires again after the balance recovered above the threshold and crosses it once more', () => {
    const recovered = andThen(wallet(), debit(credits(6)), grant('top-up', credits(4)));

    expect(eventTypes(when(recovered, debit(credits(3))).events)).toEqual(['UsageDebited']);
    const { events } = when(recovered, debit(credits(4)));
    expect(events).toMatchObject([
      { type: 'UsageDebited' },
      { type: 'LowBalanceAlerted', data: { available: credits(4) } },
    ]);
  });

  it('each threshold alerts on its own crossing', () => {
    const state = given(
      open(),
      thresholds(credits(5), credits(2)),
      grant('g', credits(10)),
      debit(credits(6)),
    );

    const { events } = when(state, debit(credits(3)));
    expect(events).toMatchObject([
      { type: 'UsageDebited' },
      { type: 'LowBalanceAlerted', data: { threshold: credits(2), available: credits(1) } },
    ]);
  });
});

describe('allowance usage alerts', () => {
  // Default policy: alert when 80% of a period's allowance is used.
  const period = () => given(open(), allowance('p1', credits(10), T0, days(30)));

  it('fire once per period when 80% of the allowance is used', () => {
    const at79 = andThen(period(), debit(credits(7.9)));
    expect(eventTypes(when(period(), debit(credits(7.9))).events)).toEqual(['UsageDebited']);

    const crossing = when(at79, debit(credits(0.1)));
    expect(crossing.events).toMatchObject([
      { type: 'UsageDebited' },
      {
        type: 'AllowanceUsageAlerted',
        data: { grantId: 'allowance:p1', percent: 80, used: credits(8), allowance: credits(10) },
      },
    ]);
    expect(eventTypes(when(crossing.state, debit(credits(1))).events)).toEqual(['UsageDebited']);

    // The next period has an allowance of its own, and so an alert of its own.
    const nextPeriod = andThen(
      crossing.state,
      expireGrant('allowance:p1', days(30)),
      allowance('p2', credits(10), days(30), days(61)),
    );
    const { events } = when(nextPeriod, debit(credits(8), { at: days(31) }));
    expect(events).toMatchObject([
      {
        type: 'UsageDebited',
        data: { allocations: [{ grantId: 'allowance:p2', amount: credits(8) }] },
      },
      { type: 'AllowanceUsageAlerted', data: { grantId: 'allowance:p2', percent: 80 } },
    ]);
  });

  it('credit merely held is not used allowance until the hold settles', () => {
    const held = when(period(), hold('h', credits(9)));
    expect(eventTypes(held.events)).toEqual(['CreditsHeld']);

    expect(eventTypes(when(held.state, settle('h', credits(9))).events)).toEqual([
      'HoldSettled',
      'AllowanceUsageAlerted',
    ]);
  });
});

describe('depletion and recovery', () => {
  it('the wallet announces depletion once when usage takes it to zero, and recovery when credit returns', () => {
    let wallet = given(
      open(),
      policy({ overdraft: { mode: 'allow-to-limit', limit: credits(5) } }),
      grant('g', credits(5)),
    );
    const step = (command: Parameters<typeof when>[1]) => {
      const { events, state } = when(wallet, command);
      wallet = state;
      return events;
    };

    expect(step(debit(credits(5)))).toMatchObject([
      { type: 'UsageDebited' },
      { type: 'WalletDepleted', data: { available: 0n } },
    ]);
    expect(eventTypes(step(debit(credits(2))))).toEqual(['UsageDebited']);
    expect(eventTypes(step(grant('a', credits(1))))).toEqual(['CreditsGranted']);
    expect(step(grant('b', credits(3)))).toMatchObject([
      { type: 'CreditsGranted' },
      { type: 'WalletRecovered', data: { available: credits(2) } },
    ]);
    expect(eventTypes(step(grant('c', credits(1))))).toEqual(['CreditsGranted']);
    expect(eventTypes(step(debit(credits(3))))).toEqual(['UsageDebited', 'WalletDepleted']);
  });
});

describe('auto top-up', () => {
  const autoTopUp: AutoTopUp = {
    threshold: credits(5),
    amount: credits(20),
    cooldownMs: HOUR,
    maxPerPeriod: 2,
    periodMs: 24 * HOUR,
  };
  const low = (): OpenWalletState => given(open(), policy({ autoTopUp }), grant('g', credits(10)));
  const topUps = (state: OpenWalletState, at: Date) => when(state, debit(credits(0.1), { at }));

  it('requests a top-up when available credit falls below the threshold', () => {
    const usage = debit(credits(6), { usageEventId: 'big-job' });
    const { events } = when(low(), usage);

    expect(events).toMatchObject([
      { type: 'UsageDebited' },
      {
        type: 'TopUpRequested',
        data: { requestId: `topup:${usage.commandId}`, amount: credits(20), available: credits(4) },
      },
    ]);
  });

  it('does not request a top-up while available credit stays at or above the threshold', () => {
    expect(eventTypes(when(low(), debit(credits(5))).events)).toEqual(['UsageDebited']);
  });

  it('does not request again within the cooldown, and does once it has passed', () => {
    const requested = andThen(low(), debit(credits(6), { at: minutes(0) }));

    expect(eventTypes(topUps(requested, minutes(59)).events)).toEqual(['UsageDebited']);
    expect(eventTypes(topUps(requested, minutes(60)).events)).toEqual([
      'UsageDebited',
      'TopUpRequested',
    ]);
  });

  it('does not request more than the maximum per period, however long the balance stays low', () => {
    const twice = andThen(
      low(),
      debit(credits(6), { at: minutes(0) }),
      debit(credits(0.1), { at: minutes(60) }),
    );
    expect(twice.topUps.requestsInPeriod).toBe(2);

    for (const at of [minutes(120), minutes(180), minutes(24 * 60 - 1)]) {
      expect(eventTypes(topUps(twice, at).events)).toEqual(['UsageDebited']);
    }
    // A new period (counted from when the wallet opened) allows requests again.
    expect(eventTypes(topUps(twice, days(1)).events)).toEqual(['UsageDebited', 'TopUpRequested']);
  });
});
