import { ANY_FEATURE, DEFAULT_GRANT_PRIORITY, FREE, isInForce } from '../grant';
import type { Grant } from '../grant';
import { drawDown } from '../drawdown';
import type {
  AdjustCredits,
  ExpireGrant,
  GrantCredits,
  RefundCredits,
  StartAllowancePeriod,
} from '../wallet-commands';
import type { CreditsGranted, WalletEvent } from '../wallet-events';
import { WalletCommandRejected } from '../wallet-rejection';
import type { OpenWalletState } from '../wallet-state';
import type { RolloverPolicy } from '../wallet-policy';
import { overdraftFor, requirePositive } from './guards';
import { assertRollover } from './wallet-setup';

export function grantCredits(
  command: GrantCredits,
  state: OpenWalletState,
): readonly WalletEvent[] {
  requirePositive(command.amount, 'amount', 'a grant');
  requireNewGrantId(state, command.grantId);
  const effectiveAt = command.effectiveAt ?? command.at;
  const expiresAt = command.expiresAt ?? null;
  if (expiresAt !== null && expiresAt <= effectiveAt) {
    throw new WalletCommandRejected(
      'invalid-time',
      'a grant must expire after it takes effect',
      'expiresAt',
    );
  }
  if (
    command.priority !== undefined &&
    !(Number.isInteger(command.priority) && command.priority >= 0)
  ) {
    throw new WalletCommandRejected(
      'invalid-amount',
      'priority is a whole number, 0 or more',
      'priority',
    );
  }
  return [
    granted(command.commandId, command.at, {
      grantId: command.grantId,
      kind: command.kind,
      amount: command.amount,
      costBasis: command.kind === 'promotional' ? FREE : (command.costBasis ?? FREE),
      priority: command.priority ?? DEFAULT_GRANT_PRIORITY,
      effectiveAt,
      expiresAt,
      scope: command.scope ?? [],
      source: command.source ?? null,
    }),
  ];
}

export function refundCredits(
  command: RefundCredits,
  state: OpenWalletState,
): readonly WalletEvent[] {
  requirePositive(command.amount, 'amount', 'a refund');
  const grantId = `refund:${command.refundId}`;
  requireNewGrantId(state, grantId);
  return [
    granted(command.commandId, command.at, {
      grantId,
      kind: 'refund',
      amount: command.amount,
      costBasis: command.costBasis ?? FREE,
      priority: DEFAULT_GRANT_PRIORITY,
      effectiveAt: command.at,
      expiresAt: null,
      scope: [],
      source: command.source ?? command.reason,
    }),
  ];
}

export function adjustCredits(
  command: AdjustCredits,
  state: OpenWalletState,
): readonly WalletEvent[] {
  if (command.amount === 0n)
    throw new WalletCommandRejected('invalid-amount', 'an adjustment cannot be zero', 'amount');
  if (command.amount > 0n) {
    const grantId = `adjustment:${command.adjustmentId}`;
    requireNewGrantId(state, grantId);
    return [
      granted(command.commandId, command.at, {
        grantId,
        kind: 'adjustment',
        amount: command.amount,
        costBasis: FREE,
        priority: DEFAULT_GRANT_PRIORITY,
        effectiveAt: command.at,
        expiresAt: null,
        scope: [],
        source: command.reason,
      }),
    ];
  }
  const amount = -command.amount;
  // A deduction takes credit in drawdown order from any grant; it never creates overage.
  const drawdown = drawDown(state.grants, ANY_FEATURE, amount, command.at.getTime());
  overdraftFor(state, command.at, amount, drawdown, { mode: 'block' });
  return [
    {
      type: 'CreditsDeducted',
      data: {
        commandId: command.commandId,
        at: command.at,
        adjustmentId: command.adjustmentId,
        amount,
        allocations: drawdown.allocations,
        reason: command.reason,
      },
    },
  ];
}

/**
 * Closes what is left of a grant past its expiry. Earmarked (held) credit is not touched: the hold
 * that reserved it settles it or, when released, returns it to a grant already out of force, whose
 * next expiry closes it. Unused allowance rolls over here, within the policy's cap.
 */
export function expireGrant(command: ExpireGrant, state: OpenWalletState): readonly WalletEvent[] {
  const grant = state.grants.get(command.grantId);
  if (grant === undefined) {
    throw new WalletCommandRejected(
      'grant-not-found',
      `grant ${command.grantId} does not exist`,
      'grantId',
    );
  }
  if (grant.expiresAt === null || grant.expiresAt > command.at) {
    throw new WalletCommandRejected(
      'grant-not-expired',
      `grant ${command.grantId} has not expired`,
      'grantId',
    );
  }
  if (grant.remaining === 0n) return [];
  const expired: WalletEvent = {
    type: 'GrantExpired',
    data: {
      commandId: command.commandId,
      at: command.at,
      grantId: grant.grantId,
      amount: grant.remaining,
    },
  };
  const rollover = rolloverOf(grant, state, command.at);
  if (rollover === 0n) return [expired];
  const policy = rolloverPolicyOf(grant, state);
  const expiresAfterMs = policy.mode === 'none' ? null : policy.expiresAfterMs;
  // A grant closed again (credit a hold gave back after the expiry) rolls over into a grant of its
  // own: reusing the first rollover's id would replace that grant and what is left of it.
  const rolloverId = `rollover:${grant.grantId}`;
  return [
    expired,
    granted(command.commandId, command.at, {
      grantId: state.grants.has(rolloverId) ? `${rolloverId}:${command.commandId}` : rolloverId,
      kind: 'rollover',
      amount: rollover,
      costBasis: grant.costBasis,
      priority: grant.priority,
      effectiveAt: command.at,
      // Counted from the end of the expired period (the start of the next), not from when the
      // scheduler got to it, so a late run does not stretch the rollover's life.
      expiresAt:
        expiresAfterMs === null
          ? null
          : new Date(
              Math.max(grant.expiresAt.getTime() + expiresAfterMs, command.at.getTime() + 1),
            ),
      scope: grant.scope,
      source: grant.grantId,
    }),
  ];
}

export function startAllowancePeriod(
  command: StartAllowancePeriod,
  state: OpenWalletState,
): readonly WalletEvent[] {
  requirePositive(command.amount, 'amount', 'an allowance');
  if (command.periodEnd <= command.at) {
    throw new WalletCommandRejected(
      'invalid-time',
      'the period must end after it starts',
      'periodEnd',
    );
  }
  if (command.rollover) assertRollover(command.rollover, 'rollover');
  const grantId = `allowance:${command.periodId}`;
  requireNewGrantId(state, grantId);
  return [
    granted(command.commandId, command.at, {
      grantId,
      kind: 'allowance',
      amount: command.amount,
      costBasis: command.costBasis ?? FREE,
      priority: DEFAULT_GRANT_PRIORITY,
      effectiveAt: command.at,
      expiresAt: command.periodEnd,
      scope: [],
      source: command.periodId,
      rollover: command.rollover ?? null,
    }),
  ];
}

/** Unused allowance that may roll over: never more than the cap minus rollover already in force. */
function rolloverOf(grant: Grant, state: OpenWalletState, at: Date): bigint {
  const policy = rolloverPolicyOf(grant, state);
  if (grant.kind !== 'allowance' || policy.mode === 'none') return 0n;
  if (policy.mode === 'all') return grant.remaining;
  // Rounded down: the cap is a ceiling.
  const cap = policy.fixedCap ?? (grant.amount * BigInt(policy.capPercentOfAllowance ?? 0)) / 100n;
  let inForce = 0n;
  for (const other of state.grants.all()) {
    if (other.kind === 'rollover' && isInForce(other, at.getTime()))
      inForce += other.remaining + other.held;
  }
  const room = cap - inForce;
  if (room <= 0n) return 0n;
  return grant.remaining < room ? grant.remaining : room;
}

/** The allowance's own terms (its plan's) when it has them, else the wallet policy's. */
function rolloverPolicyOf(grant: Grant, state: OpenWalletState): RolloverPolicy {
  return grant.rollover ?? state.policy.rollover;
}

function requireNewGrantId(state: OpenWalletState, grantId: string): void {
  if (state.grants.has(grantId)) {
    throw new WalletCommandRejected(
      'grant-already-exists',
      `grant ${grantId} already exists in wallet ${state.walletId}`,
      'grantId',
    );
  }
}

/** Only an allowance period's grant carries rollover terms of its own; every other follows the policy. */
function granted(
  commandId: string,
  at: Date,
  data: Omit<CreditsGranted['data'], 'commandId' | 'at' | 'rollover'> & {
    readonly rollover?: RolloverPolicy | null;
  },
): CreditsGranted {
  return {
    type: 'CreditsGranted',
    data: { commandId, at, ...data, rollover: data.rollover ?? null },
  };
}
