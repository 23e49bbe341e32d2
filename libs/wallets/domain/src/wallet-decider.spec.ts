import { decide } from './decide';
import { decodeWalletEvent, encodeWalletEvent } from './wallet-event-codec';
import type { WalletCommand } from './wallet-commands';
import type { WalletEvent } from './wallet-events';
import { WalletCommandRejected } from './wallet-rejection';
import { balanceOf, evolve, initialState, type WalletState } from './wallet-state';

const at = new Date('2026-11-01T00:00:00Z');
const open: WalletCommand = { type: 'OpenWallet', commandId: 'c-open', walletId: 'acme', customerId: 'acme', name: 'Acme', at };
const grant = (grantId: string, amount: bigint): WalletCommand => ({ type: 'GrantCredits', commandId: `c-${grantId}`, grantId, kind: 'purchased', amount, at });
const debit = (usageEventId: string, amount: bigint): WalletCommand => ({ type: 'DebitUsage', commandId: `usage:${usageEventId}`, usageEventId, usageType: 'llm.tokens', amount, at });

/** given (commands already applied) / when (command) / then (events). */
function given(...commands: WalletCommand[]): WalletState {
  return commands.reduce<WalletState>((state, command) => decide(command, state).reduce(evolve, state), initialState());
}

function openBalance(state: WalletState): bigint {
  if (state.status !== 'open') throw new Error('not open');
  return balanceOf(state);
}

describe('wallet decider', () => {
  it('opens a wallet once', () => {
    expect(decide(open, initialState())).toMatchObject([{ type: 'WalletOpened', data: { walletId: 'acme' } }]);
    expect(() => decide({ ...open, commandId: 'other' }, given(open))).toThrow(WalletCommandRejected);
  });

  it('grants credits and refuses a non-positive grant', () => {
    expect(openBalance(given(open, grant('g1', 5_000_000n)))).toBe(5_000_000n);
    expect(() => decide(grant('g0', 0n), given(open))).toThrow(/must be positive/);
  });

  it('refuses commands on a wallet that was never opened', () => {
    expect(() => decide(grant('g1', 1n), initialState())).toThrow(expect.objectContaining({ code: 'wallet-not-open' }));
  });

  it('debits across grants oldest first and records what each grant paid', () => {
    const state = given(open, grant('g1', 300n), grant('g2', 1_000n));
    const [event] = decide(debit('e1', 500n), state);
    expect(event).toMatchObject({
      type: 'UsageDebited',
      data: { allocations: [{ grantId: 'g1', amount: 300n }, { grantId: 'g2', amount: 200n }], unpaid: 0n },
    });
    expect(openBalance(given(open, grant('g1', 300n), grant('g2', 1_000n), debit('e1', 500n)))).toBe(800n);
  });

  it('records usage beyond every grant as unpaid so the balance shows the debt', () => {
    const state = given(open, grant('g1', 100n), debit('e1', 250n));
    expect(openBalance(state)).toBe(-150n);
  });

  it('applies a repeated usage event once', () => {
    const state = given(open, grant('g1', 1_000n), debit('e1', 100n));
    expect(decide(debit('e1', 100n), state)).toEqual([]);
  });

  it('round-trips every event through its JSON encoding', () => {
    const events: WalletEvent[] = [
      ...decide(open, initialState()),
      ...decide(grant('g1', 123456789012345678901234567890n), given(open)),
      ...decide(debit('e1', 7n), given(open, grant('g1', 5n))),
    ];
    for (const event of events) {
      const encoded = JSON.parse(JSON.stringify(encodeWalletEvent(event)));
      expect(decodeWalletEvent(encoded.type, encoded.data)).toEqual(event);
    }
  });
});
