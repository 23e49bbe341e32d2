import { decide } from '../decide';
import { evolve } from '../evolve';
import type { WalletCommand } from '../wallet-commands';
import type { WalletEvent } from '../wallet-events';
import { DEFAULT_WALLET_POLICY, type WalletPolicy } from '../wallet-policy';
import { initialState, type OpenWalletState, type WalletState } from '../wallet-state';

export const T0 = new Date('2026-11-01T00:00:00Z');
export const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);
export const days = (n: number): Date => new Date(T0.getTime() + n * 86_400_000);

let counter = 0;
const nextId = (prefix: string): string => `${prefix}-${++counter}`;

export const open = (at: Date = T0): WalletCommand => ({ type: 'OpenWallet', commandId: 'open', at, walletId: 'w', customerId: 'c', name: 'C' });

export const grant = (
  grantId: string,
  amount: bigint,
  extra: Partial<Extract<WalletCommand, { type: 'GrantCredits' }>> = {},
): WalletCommand => ({ type: 'GrantCredits', commandId: `grant:${grantId}`, at: T0, grantId, kind: 'purchased', amount, ...extra });

export const debit = (amount: bigint, extra: Partial<Extract<WalletCommand, { type: 'DebitUsage' }>> = {}): WalletCommand => {
  const usageEventId = extra.usageEventId ?? nextId('usage');
  return { type: 'DebitUsage', commandId: `usage:${usageEventId}`, at: T0, usageEventId, feature: 'llm.tokens', amount, ...extra };
};

export const policy = (changes: Partial<WalletPolicy>, at: Date = T0): WalletCommand => ({
  type: 'ChangeWalletPolicy',
  commandId: nextId('policy'),
  at,
  policy: { ...DEFAULT_WALLET_POLICY, ...changes },
});

export function command<Type extends WalletCommand['type']>(
  type: Type,
  fields: Omit<Extract<WalletCommand, { type: Type }>, 'type' | 'commandId' | 'at'> & { commandId?: string; at?: Date },
): WalletCommand {
  return { commandId: nextId(type), at: T0, ...fields, type } as unknown as WalletCommand;
}

/** given: the state after these commands (each decided on the state before it). */
export function given(...commands: readonly WalletCommand[]): OpenWalletState {
  const state = commands.reduce<WalletState>((current, next) => decide(next, current).reduce(evolve, current), initialState());
  if (state.status !== 'open') throw new Error('given: the wallet was not opened');
  return state;
}

/** when/then: the events a command causes on that state, and the state after them. */
export function when(state: OpenWalletState, next: WalletCommand): { events: readonly WalletEvent[]; state: OpenWalletState } {
  const events = decide(next, state);
  return { events, state: events.reduce<WalletState>(evolve, state) as OpenWalletState };
}

export const eventTypes = (events: readonly WalletEvent[]): string[] => events.map((event) => event.type);
