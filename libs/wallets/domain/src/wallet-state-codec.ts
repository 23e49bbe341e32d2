import BTree from 'sorted-btree';
import { CommandLog, compareStrings, inBatch } from '@burndown/decider-kit';
import type { Grant } from './grant';
import { GrantBook } from './grant-book';
import { isGrantKind } from './grant-kind';
import type { Hold } from './hold';
import { decodeShape, encodeShape, UndecodableError, type Json, type Shape } from './json-shape';
import { grantTermsShape, holdTermsShape, walletPolicyShape } from './wallet-event-codec';
import type { Budget, HoldResolution, OpenWalletState, WalletState } from './wallet-state';
import { initialState } from './wallet-state';

/**
 * Version of the snapshot encoding below. A snapshot of any other version is ignored and the
 * stream replayed, so bumping it is always safe.
 */
export const WALLET_SNAPSHOT_VERSION = 2;

const grantShape: Shape = {
  object: {
    ...grantTermsShape,
    remaining: 'amount',
    held: 'amount',
    grantedAt: 'time',
    sequence: 'integer',
  },
};

const holdShape: Shape = { object: { ...holdTermsShape, placedAt: 'time' } };

/** The open wallet with its trees flattened to lists; command ids and times as two parallel lists. */
const openWalletShape: Shape = {
  object: {
    walletId: 'string',
    customerId: 'string',
    name: 'string',
    openedAt: 'time',
    policy: walletPolicyShape,
    grants: { array: grantShape },
    nextGrantSequence: 'integer',
    allowanceGrantIds: { array: 'string' },
    allowancePeriodEnd: { nullable: 'time' },
    holds: { array: holdShape },
    holdOverdraftTotal: 'amount',
    resolvedHolds: { array: { object: { holdId: 'string', resolution: 'string' } } },
    overage: 'amount',
    budgets: { array: { object: { budgetId: 'string', cap: 'amount', used: 'amount' } } },
    commandIds: { array: 'string' },
    commandTimesMs: { array: 'integer' },
    raisedAlerts: { array: 'string' },
    topUps: {
      object: {
        lastRequestedAtMs: { nullable: 'integer' },
        periodStartMs: 'integer',
        requestsInPeriod: 'integer',
      },
    },
    lastEventAt: 'time',
  },
};

export class UndecodableWalletSnapshotError extends UndecodableError {
  override readonly name = 'UndecodableWalletSnapshotError';
}

/** JSON form of a wallet's whole state, for snapshots: amounts as decimal strings. */
export function encodeWalletState(state: WalletState): { readonly [key: string]: Json } {
  if (state.status !== 'open') return { status: 'unopened' };
  const commands = [...state.commands.entries()];
  const flat = {
    ...state,
    grants: [...state.grants.all()],
    holds: [...state.holds.values()],
    resolvedHolds: [...state.resolvedHolds.entries()].map(([holdId, resolution]) => ({
      holdId,
      resolution,
    })),
    budgets: [...state.budgets.values()],
    commandIds: commands.map(([commandId]) => commandId),
    commandTimesMs: commands.map(([, atMs]) => atMs),
    raisedAlerts: [...state.raisedAlerts],
  };
  return {
    status: 'open',
    ...(encodeShape(flat, openWalletShape) as { readonly [key: string]: Json }),
  };
}

export function decodeWalletState(data: Readonly<Record<string, unknown>>): WalletState {
  if (data['status'] === 'unopened') return initialState();
  if (data['status'] !== 'open')
    throw new UndecodableWalletSnapshotError('status: expected open or unopened');
  try {
    return inBatch(() => restore(decodeShape(data, openWalletShape, 'snapshot') as Flat));
  } catch (error) {
    if (error instanceof UndecodableError && !(error instanceof UndecodableWalletSnapshotError)) {
      throw new UndecodableWalletSnapshotError(error.message, { cause: error });
    }
    throw error;
  }
}

type Flat = Omit<
  OpenWalletState,
  'status' | 'grants' | 'holds' | 'resolvedHolds' | 'budgets' | 'commands' | 'raisedAlerts'
> & {
  readonly grants: readonly Grant[];
  readonly holds: readonly Hold[];
  readonly resolvedHolds: readonly {
    readonly holdId: string;
    readonly resolution: HoldResolution;
  }[];
  readonly budgets: readonly Budget[];
  readonly commandIds: readonly string[];
  readonly commandTimesMs: readonly number[];
  readonly raisedAlerts: readonly string[];
};

const HOLD_RESOLUTIONS: ReadonlySet<string> = new Set<HoldResolution>([
  'settled',
  'released',
  'expired',
]);

function restore(flat: Flat): OpenWalletState {
  const {
    grants,
    holds,
    resolvedHolds,
    budgets,
    commandIds,
    commandTimesMs,
    raisedAlerts,
    ...scalars
  } = flat;
  for (const grant of grants) {
    if (!isGrantKind(grant.kind))
      throw new UndecodableWalletSnapshotError(`grants: unknown grant kind ${grant.kind}`);
  }
  for (const { holdId, resolution } of resolvedHolds) {
    if (!HOLD_RESOLUTIONS.has(resolution))
      throw new UndecodableWalletSnapshotError(
        `resolvedHolds: ${holdId} has unknown resolution ${resolution}`,
      );
  }
  if (commandIds.length !== commandTimesMs.length) {
    throw new UndecodableWalletSnapshotError('commandIds and commandTimesMs differ in length');
  }
  return {
    status: 'open',
    ...scalars,
    grants: grants.reduce((book, grant) => book.put(grant), GrantBook.empty()),
    holds: new BTree(
      holds.map((hold) => [hold.holdId, hold] as [string, Hold]),
      compareStrings,
    ),
    resolvedHolds: new BTree(
      resolvedHolds.map(
        ({ holdId, resolution }) => [holdId, resolution] as [string, HoldResolution],
      ),
      compareStrings,
    ),
    budgets: new Map(budgets.map((budget) => [budget.budgetId, budget])),
    commands: CommandLog.restore(
      commandIds.map((commandId, index) => [commandId, commandTimesMs[index] ?? 0] as const),
    ),
    raisedAlerts: new Set(raisedAlerts),
  };
}
