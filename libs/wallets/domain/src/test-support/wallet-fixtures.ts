import { decide } from '../decide';
import { evolve } from '../evolve';
import type { WalletCommand } from '../wallet-commands';
import type { WalletEvent } from '../wallet-events';
import { DEFAULT_WALLET_POLICY, type WalletPolicy } from '../wallet-policy';
import { isInForce, type CostBasis } from '../grant';
import {
  availableAt,
  balanceAt,
  initialState,
  type OpenWalletState,
  type WalletState,
} from '../wallet-state';

export const T0 = new Date('2026-11-01T00:00:00Z');
export const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);
export const days = (n: number): Date => new Date(T0.getTime() + n * 86_400_000);

let counter = 0;
const nextId = (prefix: string): string => `${prefix}-${++counter}`;

export const open = (at: Date = T0): WalletCommand => ({
  type: 'OpenWallet',
  commandId: 'open',
  at,
  walletId: 'w',
  customerId: 'c',
  name: 'C',
});

export const grant = (
  grantId: string,
  amount: bigint,
  extra: Partial<Extract<WalletCommand, { type: 'GrantCredits' }>> = {},
): WalletCommand => ({
  type: 'GrantCredits',
  commandId: `grant:${grantId}`,
  at: T0,
  grantId,
  kind: 'purchased',
  amount,
  ...extra,
});

export const debit = (
  amount: bigint,
  extra: Partial<Extract<WalletCommand, { type: 'DebitUsage' }>> = {},
): WalletCommand => {
  const usageEventId = extra.usageEventId ?? nextId('usage');
  return {
    type: 'DebitUsage',
    commandId: `usage:${usageEventId}`,
    at: T0,
    usageEventId,
    feature: 'llm.tokens',
    amount,
    ...extra,
  };
};

export const policy = (changes: Partial<WalletPolicy>, at: Date = T0): WalletCommand => ({
  type: 'ChangeWalletPolicy',
  commandId: nextId('policy'),
  at,
  policy: { ...DEFAULT_WALLET_POLICY, ...changes },
});

export function command<Type extends WalletCommand['type']>(
  type: Type,
  fields: Omit<Extract<WalletCommand, { type: Type }>, 'type' | 'commandId' | 'at'> & {
    commandId?: string;
    at?: Date;
  },
): WalletCommand {
  return { commandId: nextId(type), at: T0, ...fields, type } as unknown as WalletCommand;
}

/** given: the state after these commands (each decided on the state before it). */
export function given(...commands: readonly WalletCommand[]): OpenWalletState {
  const state = commands.reduce<WalletState>(
    (current, next) => decide(next, current).reduce(evolve, current),
    initialState(),
  );
  if (state.status !== 'open') throw new Error('given: the wallet was not opened');
  return state;
}

/** when/then: the events a command causes on that state, and the state after them. */
export function when(
  state: OpenWalletState,
  next: WalletCommand,
): { events: readonly WalletEvent[]; state: OpenWalletState } {
  const events = decide(next, state);
  return { events, state: events.reduce<WalletState>(evolve, state) as OpenWalletState };
}

export const eventTypes = (events: readonly WalletEvent[]): string[] =>
  events.map((event) => event.type);

/** `n` whole credits in micro-credits (1 credit = 1,000,000); fractions round to the micro-credit. */
export const credits = (n: number): bigint => BigInt(Math.round(n * 1_000_000));

/** A paid cost basis: `cents` US cents per credit. */
export const paid = (cents: number): CostBasis => ({
  currency: 'USD',
  microsPerCredit: BigInt(cents) * 1_000_000n,
});

type Fields<Type extends WalletCommand['type']> = Partial<
  Omit<Extract<WalletCommand, { type: Type }>, 'type'>
>;

export const hold = (
  holdId: string,
  amount: bigint,
  extra: Fields<'PlaceHold'> = {},
): WalletCommand =>
  command('PlaceHold', { holdId, amount, feature: 'llm.tokens', expiresAt: minutes(30), ...extra });

export const settle = (
  holdId: string,
  amount: bigint,
  extra: Fields<'SettleHold'> = {},
): WalletCommand => command('SettleHold', { holdId, amount, ...extra });

export const release = (holdId: string, extra: Fields<'ReleaseHold'> = {}): WalletCommand =>
  command('ReleaseHold', { holdId, ...extra });

export const expireHold = (
  holdId: string,
  at: Date,
  extra: Fields<'ExpireHold'> = {},
): WalletCommand => command('ExpireHold', { holdId, at, ...extra });

export const expireGrant = (
  grantId: string,
  at: Date,
  extra: Fields<'ExpireGrant'> = {},
): WalletCommand => command('ExpireGrant', { grantId, at, ...extra });

/** The allowance of period `periodId`, granted at `at` and expiring at `periodEnd`. */
export const allowance = (
  periodId: string,
  amount: bigint,
  at: Date,
  periodEnd: Date,
  extra: Fields<'StartAllowancePeriod'> = {},
): WalletCommand => command('StartAllowancePeriod', { periodId, amount, at, periodEnd, ...extra });

export const budget = (
  budgetId: string,
  cap: bigint,
  extra: Fields<'SetBudget'> = {},
): WalletCommand => command('SetBudget', { budgetId, cap, ...extra });

export const refund = (
  refundId: string,
  amount: bigint,
  extra: Fields<'RefundCredits'> = {},
): WalletCommand => command('RefundCredits', { refundId, amount, reason: 'goodwill', ...extra });

export const refundPurchase = (
  refundId: string,
  grantId: string,
  amount: bigint,
  extra: Fields<'RefundPurchase'> = {},
): WalletCommand =>
  command('RefundPurchase', { refundId, grantId, amount, reason: 'unused', ...extra });

export const settleOverage = (
  settlementId: string,
  amount: bigint,
  extra: Fields<'SettleOverage'> = {},
): WalletCommand =>
  command('SettleOverage', {
    settlementId,
    amount,
    outcome: 'invoiced',
    reference: 'INV-000001',
    ...extra,
  });

export const adjust = (
  adjustmentId: string,
  amount: bigint,
  extra: Fields<'AdjustCredits'> = {},
): WalletCommand =>
  command('AdjustCredits', { adjustmentId, amount, reason: 'correction', ...extra });

/** given, then more: the state after `commands` decided on `state` in turn. */
export const andThen = (
  state: OpenWalletState,
  ...commands: readonly WalletCommand[]
): OpenWalletState => commands.reduce((current, next) => when(current, next).state, state);

/**
 * The wallet's figures at `at`, next to the same figures recomputed from its grants and holds one
 * by one: balance = free credit of grants in force + earmarked credit − overage, and
 * available = balance − active holds.
 */
export function ledgerAt(state: OpenWalletState, at: Date = state.lastEventAt) {
  let remainingInForce = 0n;
  let held = 0n;
  for (const grant of state.grants.all()) {
    if (isInForce(grant, at.getTime())) remainingInForce += grant.remaining;
    held += grant.held;
  }
  let activeHolds = 0n;
  for (const active of state.holds.values()) activeHolds += active.amount;
  const recomputedBalance = remainingInForce + held - state.overage;
  return {
    balance: balanceAt(state, at),
    available: availableAt(state, at),
    recomputedBalance,
    recomputedAvailable: recomputedBalance - activeHolds,
  };
}

/** Matches the WalletCommandRejected a refused command throws. */
export const rejectedWith = (code: string) =>
  expect.objectContaining({ name: 'WalletCommandRejected', code });
