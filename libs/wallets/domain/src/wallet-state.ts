import type { GrantKind } from './grant-kind';
import type { WalletEvent } from './wallet-events';

export interface Grant {
  readonly grantId: string;
  readonly kind: GrantKind;
  readonly amount: bigint;
  readonly remaining: bigint;
  readonly grantedAt: Date;
}

export interface UnopenedWallet {
  readonly status: 'unopened';
}

export interface OpenWalletState {
  readonly status: 'open';
  readonly walletId: string;
  readonly customerId: string;
  readonly name: string;
  readonly openedAt: Date;
  /** In grant order (oldest first). */
  readonly grants: readonly Grant[];
  /** Usage owed beyond every grant; the balance shows it as negative. */
  readonly unpaid: bigint;
  readonly processedCommandIds: ReadonlySet<string>;
}

export type WalletState = UnopenedWallet | OpenWalletState;

export const initialState = (): WalletState => ({ status: 'unopened' });

export const balanceOf = (state: OpenWalletState): bigint =>
  state.grants.reduce((sum, grant) => sum + grant.remaining, 0n) - state.unpaid;

export function evolve(state: WalletState, event: WalletEvent): WalletState {
  switch (event.type) {
    case 'WalletOpened':
      return {
        status: 'open',
        walletId: event.data.walletId,
        customerId: event.data.customerId,
        name: event.data.name,
        openedAt: event.data.openedAt,
        grants: [],
        unpaid: 0n,
        processedCommandIds: new Set([event.data.commandId]),
      };
    case 'CreditsGranted': {
      const open = assertOpen(state, event.type);
      const grant: Grant = {
        grantId: event.data.grantId,
        kind: event.data.kind,
        amount: event.data.amount,
        remaining: event.data.amount,
        grantedAt: event.data.grantedAt,
      };
      return {
        ...open,
        grants: [...open.grants, grant],
        processedCommandIds: withId(open.processedCommandIds, event.data.commandId),
      };
    }
    case 'UsageDebited': {
      const open = assertOpen(state, event.type);
      const taken = new Map(event.data.allocations.map((a) => [a.grantId, a.amount]));
      return {
        ...open,
        grants: open.grants.map((grant) => {
          const amount = taken.get(grant.grantId);
          return amount === undefined ? grant : { ...grant, remaining: grant.remaining - amount };
        }),
        unpaid: open.unpaid + event.data.unpaid,
        processedCommandIds: withId(open.processedCommandIds, event.data.commandId),
      };
    }
  }
}

function assertOpen(state: WalletState, eventType: string): OpenWalletState {
  if (state.status !== 'open') {
    throw new Error(`corrupt wallet stream: ${eventType} before WalletOpened`);
  }
  return state;
}

function withId(ids: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(ids);
  next.add(id);
  return next;
}
