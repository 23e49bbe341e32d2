import { subjects, type JsonObject, type RecordedEvent } from '@burndown/ports';
import {
  activeHoldsTotal,
  availableAt,
  balanceOf,
  type CostBasis,
  type GrantAllocation,
  type OpenWalletState,
  type WalletEvent,
  type WalletState,
} from '@burndown/wallet-domain';

export interface IntegrationMessage {
  readonly subject: string;
  readonly payload: JsonObject;
}

/**
 * What other services may know about a wallet event. Published with message id = event id, so a
 * relay that re-publishes after a crash is deduplicated by the bus.
 */
export function integrationMessageOf(
  walletId: string,
  recorded: RecordedEvent,
  event: WalletEvent,
  state: WalletState,
): IntegrationMessage | undefined {
  if (state.status !== 'open') return undefined;
  const common = {
    walletId,
    customerId: state.customerId,
    revision: recorded.revision.toString(),
    eventId: recorded.eventId,
    occurredAt: recorded.recordedAt.toISOString(),
  };
  if (event.type === 'WalletOpened') {
    return {
      subject: subjects.walletEvent('opened', walletId),
      payload: { ...common, name: state.name },
    };
  }
  const balance = balanceOf(state).toString();
  return {
    subject: subjects.walletEvent('balance-changed', walletId),
    payload: {
      ...common,
      balance,
      available: availableAt(state, state.lastEventAt).toString(),
      held: activeHoldsTotal(state).toString(),
      overage: state.overage.toString(),
      cause: causeOf(event, state),
    },
  };
}

/** What a finance or usage consumer needs of the event: amounts, and the grants a debit drew on. */
function causeOf(event: WalletEvent, state: OpenWalletState): JsonObject {
  switch (event.type) {
    case 'UsageDebited':
      return {
        type: event.type,
        usageEventId: event.data.usageEventId,
        feature: event.data.feature,
        amount: event.data.amount.toString(),
        overdraft: event.data.overdraft.toString(),
        allocations: event.data.allocations.map((allocation) => allocationOf(allocation, state)),
      };
    case 'CreditsGranted':
      return {
        type: event.type,
        grantId: event.data.grantId,
        kind: event.data.kind,
        amount: event.data.amount.toString(),
        costBasis: costBasisOf(event.data.costBasis),
        expiresAt: event.data.expiresAt?.toISOString() ?? null,
      };
    default:
      return { type: event.type };
  }
}

/** A grant is never dropped from the book (only from its spending order), so its terms are there. */
function allocationOf(allocation: GrantAllocation, state: OpenWalletState): JsonObject {
  const grant = state.grants.get(allocation.grantId);
  return {
    grantId: allocation.grantId,
    amount: allocation.amount.toString(),
    kind: grant?.kind ?? null,
    costBasis: grant === undefined ? null : costBasisOf(grant.costBasis),
  };
}

const costBasisOf = (costBasis: CostBasis): JsonObject => ({
  currency: costBasis.currency,
  microsPerCredit: costBasis.microsPerCredit.toString(),
});
