import { decide } from './decide';
import { decodeWalletEvent, encodeWalletEvent } from './wallet-event-codec';
import { WalletCommandRejected } from './wallet-rejection';
import { availableAt, balanceOf, initialState } from './wallet-state';
import {
  debit,
  eventTypes,
  given,
  grant,
  open,
  policy,
  T0,
  when,
  rejectedWith,
} from './test-support/wallet-fixtures';

describe('wallet decider: open, grant, debit', () => {
  it('opens a wallet once', () => {
    expect(decide(open(), initialState())).toMatchObject([
      { type: 'WalletOpened', data: { walletId: 'w' } },
    ]);
    expect(() => decide({ ...open(), commandId: 'again' }, given(open()))).toThrow(
      WalletCommandRejected,
    );
    expect(decide(open(), given(open()))).toEqual([]);
  });

  it('refuses any other command on a wallet that was never opened', () => {
    expect(() => decide(grant('g1', 1n), initialState())).toThrow(rejectedWith('wallet-not-open'));
  });

  it('grants credits and refuses a non-positive grant or a grant id used before', () => {
    expect(balanceOf(given(open(), grant('g1', 5_000_000n)))).toBe(5_000_000n);
    expect(() => decide(grant('g0', 0n), given(open()))).toThrow(rejectedWith('invalid-amount'));
    expect(() => decide(grant('g0', -5n), given(open()))).toThrow(rejectedWith('invalid-amount'));
    expect(() =>
      decide({ ...grant('g1', 7n), commandId: 'other' }, given(open(), grant('g1', 5n))),
    ).toThrow(rejectedWith('grant-already-exists'));
  });

  it('debits across grants in drawdown order and records what each grant paid', () => {
    const state = given(open(), grant('g1', 300n), grant('g2', 1_000n));
    const { events, state: after } = when(state, debit(500n, { usageEventId: 'e1' }));
    expect(events).toMatchObject([
      {
        type: 'UsageDebited',
        data: {
          allocations: [
            { grantId: 'g1', amount: 300n },
            { grantId: 'g2', amount: 200n },
          ],
          overdraft: 0n,
        },
      },
    ]);
    expect(balanceOf(after)).toBe(800n);
  });

  it('refuses a debit beyond the balance under block, and records overage under allow-to-limit', () => {
    expect(() => decide(debit(250n), given(open(), grant('g1', 100n)))).toThrow(
      rejectedWith('insufficient-credits'),
    );
    const lenient = given(
      open(),
      policy({ overdraft: { mode: 'allow-to-limit', limit: 200n } }),
      grant('g1', 100n),
    );
    const { events, state } = when(lenient, debit(250n));
    expect(events[0]).toMatchObject({ type: 'UsageDebited', data: { overdraft: 150n } });
    expect(balanceOf(state)).toBe(-150n);
    expect(() => decide(debit(51n), state)).toThrow(rejectedWith('insufficient-credits'));
    expect(availableAt(when(state, debit(50n)).state, T0)).toBe(-200n);
  });

  it('applies a repeated command id once', () => {
    const state = given(open(), grant('g1', 1_000n), debit(100n, { usageEventId: 'e1' }));
    expect(decide(debit(100n, { usageEventId: 'e1' }), state)).toEqual([]);
    expect(eventTypes(decide(debit(100n, { usageEventId: 'e2' }), state))).toEqual([
      'UsageDebited',
    ]);
  });

  it('reads a schema-2 policy event, written before allowance plans, with no allowance plan', () => {
    const [changed] = decide(policy({}), given(open()));
    if (changed === undefined) throw new Error('no policy event');
    const { allowance: _allowance, ...policyV2 } = encodeWalletEvent(changed).data[
      'policy'
    ] as Record<string, unknown>;
    const decoded = decodeWalletEvent('WalletPolicyChanged', {
      ...encodeWalletEvent(changed).data,
      policy: policyV2,
    });
    expect(decoded).toMatchObject({ data: { policy: { allowance: null } } });
  });

  it('round-trips every event through its JSON encoding', () => {
    const events = [
      ...decide(open(), initialState()),
      ...decide(
        grant('g1', 123456789012345678901234567890n, {
          expiresAt: new Date('2027-01-01T00:00:00Z'),
          scope: ['images'],
        }),
        given(open()),
      ),
      ...decide(
        debit(7n, { feature: 'images' }),
        given(
          open(),
          grant('g1', 5n, { scope: ['images'] }),
          policy({ overdraft: { mode: 'allow-to-limit', limit: 10n } }),
        ),
      ),
    ];
    for (const event of events) {
      const encoded = JSON.parse(JSON.stringify(encodeWalletEvent(event)));
      expect(decodeWalletEvent(encoded.type, encoded.data)).toEqual(event);
    }
  });
});
