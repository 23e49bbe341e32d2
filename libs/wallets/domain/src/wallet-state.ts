import BTree from 'sorted-btree';
import { CommandLog, compareStrings } from '@burndown/decider-kit';
import { GrantBook } from './grant-book';
import type { Hold } from './hold';
import { DEFAULT_WALLET_POLICY, type WalletPolicy } from './wallet-policy';

export interface Budget {
  readonly budgetId: string;
  readonly cap: bigint;
  /** Debited plus currently held against this budget. */
  readonly used: bigint;
}

export type HoldResolution = 'settled' | 'released' | 'expired';

export interface TopUpCounter {
  readonly lastRequestedAtMs: number | null;
  readonly periodStartMs: number;
  readonly requestsInPeriod: number;
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
  readonly policy: WalletPolicy;
  readonly grants: GrantBook;
  readonly nextGrantSequence: number;
  /** Allowance grants not yet expired: the few that %-used alerts look at, without a scan. */
  readonly allowanceGrantIds: readonly string[];
  /** The latest end of any allowance period granted: where the scheduler starts the next one. */
  readonly allowancePeriodEnd: Date | null;
  readonly holds: BTree<string, Hold>;
  /** Sum of the overdraft parts of active holds. */
  readonly holdOverdraftTotal: bigint;
  /** How each hold that is no longer active ended: a hold resolves exactly once. */
  readonly resolvedHolds: BTree<string, HoldResolution>;
  /** Credit used beyond every grant, owed as overage (rated usage is booked under any policy). */
  readonly overage: bigint;
  readonly budgets: ReadonlyMap<string, Budget>;
  readonly commands: CommandLog;
  /** Alerts raised and not yet recovered from, e.g. `below:1000000`, `depleted`, `allowance:g1:80`. */
  readonly raisedAlerts: ReadonlySet<string>;
  readonly topUps: TopUpCounter;
  readonly lastEventAt: Date;
}

export type WalletState = UnopenedWallet | OpenWalletState;

export const initialState = (): WalletState => ({ status: 'unopened' });

export function openState(
  data: { walletId: string; customerId: string; name: string },
  at: Date,
): OpenWalletState {
  return {
    status: 'open',
    ...data,
    openedAt: at,
    policy: DEFAULT_WALLET_POLICY,
    grants: GrantBook.empty(),
    nextGrantSequence: 0,
    allowanceGrantIds: [],
    allowancePeriodEnd: null,
    holds: new BTree(undefined, compareStrings),
    holdOverdraftTotal: 0n,
    resolvedHolds: new BTree(undefined, compareStrings),
    overage: 0n,
    budgets: new Map(),
    commands: CommandLog.empty(),
    raisedAlerts: new Set(),
    topUps: { lastRequestedAtMs: null, periodStartMs: at.getTime(), requestsInPeriod: 0 },
    lastEventAt: at,
  };
}

/**
 * The state for a fold that follows the writer and never decides (a projection): from here on no
 * command id is recorded, and asking for one throws. Balances, grants, holds and alerts evolve as
 * before.
 */
export const withoutCommandLog = (state: WalletState): WalletState =>
  state.status === 'open' && state.commands.tracked
    ? { ...state, commands: CommandLog.untracked() }
    : state;

/** Credit the wallet holds at `at`: free and earmarked grant credit in force, less overage. */
export function balanceAt(state: OpenWalletState, at: Date): bigint {
  return state.grants.spendableAt(at.getTime()) + state.grants.heldTotal - state.overage;
}

/** Sum of active holds. */
export const activeHoldsTotal = (state: OpenWalletState): bigint =>
  state.grants.heldTotal + state.holdOverdraftTotal;

/** What a new debit or hold may use at `at`: balance − active holds. */
export function availableAt(state: OpenWalletState, at: Date): bigint {
  return balanceAt(state, at) - activeHoldsTotal(state);
}

/** Balance as of the wallet's last event. */
export const balanceOf = (state: OpenWalletState): bigint => balanceAt(state, state.lastEventAt);
