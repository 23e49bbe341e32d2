import {
  subjects,
  type JsonObject,
  type JsonValue,
  type RecordedEvent,
  type WalletEventKind,
} from '@burndown/ports';
import {
  activeHoldsTotal,
  availableAt,
  balanceOf,
  encodeWalletEvent,
  type CostBasis,
  type OpenWalletState,
  type WalletEvent,
  type WalletEventType,
  type WalletState,
} from '@burndown/wallet-domain';

export interface IntegrationMessage {
  readonly subject: string;
  readonly payload: JsonObject;
  /** The bus's deduplication key: a relay that re-publishes after a crash is dropped by it. */
  readonly msgId: string;
}

/** The subject token of each wallet event type (`wallet.<kind>.<walletId>`). */
export const KIND_OF_EVENT: { readonly [Type in WalletEventType]: WalletEventKind } = {
  WalletOpened: 'opened',
  WalletPolicyChanged: 'policy-changed',
  BudgetSet: 'budget-set',
  CreditsGranted: 'granted',
  UsageDebited: 'debited',
  CreditsDeducted: 'deducted',
  PurchaseRefunded: 'purchase-refunded',
  OverageSettled: 'overage-settled',
  CreditsHeld: 'hold-placed',
  HoldSettled: 'hold-settled',
  HoldReleased: 'hold-released',
  HoldExpired: 'hold-expired',
  GrantExpired: 'grant-expired',
  TopUpRequested: 'top-up-requested',
  LowBalanceAlerted: 'low-balance-alerted',
  AllowanceUsageAlerted: 'allowance-usage-alerted',
  WalletDepleted: 'depleted',
  WalletRecovered: 'recovered',
};

/** Events after which the wallet stands elsewhere: credit granted, spent, held, freed or expired. */
const MOVES_CREDIT: ReadonlySet<WalletEventType> = new Set([
  'CreditsGranted',
  'UsageDebited',
  'CreditsDeducted',
  'PurchaseRefunded',
  'OverageSettled',
  'CreditsHeld',
  'HoldSettled',
  'HoldReleased',
  'HoldExpired',
  'GrantExpired',
]);

export const movesCredit = (event: WalletEvent): boolean => MOVES_CREDIT.has(event.type);

/**
 * What other services may know about one wallet event, on its kind's subject: the event as the
 * wallet recorded it (`data`, with the kind and cost basis of every grant it names), the change it
 * made to the balance, and where the wallet stands after it. Message id = the event id.
 */
export function walletEventMessageOf(
  walletId: string,
  recorded: RecordedEvent,
  event: WalletEvent,
  state: WalletState,
): IntegrationMessage | undefined {
  if (state.status !== 'open') return undefined;
  return {
    subject: subjects.walletEvent(KIND_OF_EVENT[event.type], walletId),
    msgId: recorded.eventId,
    payload: {
      ...standing(walletId, recorded, state),
      type: event.type,
      delta: balanceDeltaOf(event).toString(),
      data: withGrantTerms(event, state),
    },
  };
}

/** The fields of a wallet event message that say where the wallet stands after it. */
const STANDING_FIELDS = [
  'walletId',
  'customerId',
  'revision',
  'eventId',
  'occurredAt',
  'balance',
  'available',
  'held',
  'overage',
] as const;

/**
 * The summary on `balance-changed`: where the wallet stands after the event of `message` (a
 * message of walletEventMessageOf), taken from it. Published once for the events a relay handles
 * together (see BalanceSummaries), so a consumer that only wants the latest balance reads one
 * message per group; `revision` says which summary is the latest.
 */
export function balanceSummaryOf(
  walletId: string,
  message: IntegrationMessage,
): IntegrationMessage {
  const payload: Record<string, JsonValue> = {};
  for (const field of STANDING_FIELDS) payload[field] = message.payload[field] as JsonValue;
  return {
    subject: subjects.walletEvent('balance-changed', walletId),
    msgId: `balance-changed:${message.msgId}`,
    payload,
  };
}

function standing(walletId: string, recorded: RecordedEvent, state: OpenWalletState): JsonObject {
  return {
    walletId,
    customerId: state.customerId,
    revision: recorded.revision.toString(),
    eventId: recorded.eventId,
    occurredAt: recorded.recordedAt.toISOString(),
    balance: balanceOf(state).toString(),
    available: availableAt(state, state.lastEventAt).toString(),
    held: activeHoldsTotal(state).toString(),
    overage: state.overage.toString(),
  };
}

/**
 * The change the event itself made to the balance, signed. A grant counts when granted (even if
 * effective later); holds move credit between available and held, not out of the balance.
 */
function balanceDeltaOf(event: WalletEvent): bigint {
  switch (event.type) {
    case 'CreditsGranted':
    case 'OverageSettled':
      return event.data.amount;
    case 'UsageDebited':
    case 'CreditsDeducted':
    case 'PurchaseRefunded':
    case 'HoldSettled':
    case 'GrantExpired':
      return -event.data.amount;
    default:
      return 0n;
  }
}

/** Fields of event data that list grants by id; each gets the grant's kind and cost basis. */
const GRANT_LISTS = ['allocations', 'earmarks', 'released'] as const;

/** A grant is never dropped from the book (only from its spending order), so its terms are there. */
function withGrantTerms(event: WalletEvent, state: OpenWalletState): JsonObject {
  const data: Record<string, JsonValue> = { ...encodeWalletEvent(event).data };
  const termsOf = (grantId: string): JsonObject => {
    const grant = state.grants.get(grantId);
    return {
      kind: grant?.kind ?? null,
      costBasis: grant === undefined ? null : costBasisOf(grant.costBasis),
    };
  };
  for (const field of GRANT_LISTS) {
    const list = data[field];
    if (!Array.isArray(list)) continue;
    data[field] = list.map((item) => {
      const allocation = item as JsonObject;
      return { ...allocation, ...termsOf(allocation['grantId'] as string) };
    });
  }
  if (event.type === 'PurchaseRefunded') Object.assign(data, termsOf(event.data.grantId));
  if (event.type === 'GrantExpired') {
    // Breakage counts on the expiry date, not when the scheduler got to it.
    const expiresAt = state.grants.get(event.data.grantId)?.expiresAt ?? null;
    Object.assign(data, termsOf(event.data.grantId), {
      expiresAt: expiresAt?.toISOString() ?? null,
    });
  }
  return data;
}

const costBasisOf = (costBasis: CostBasis): JsonObject => ({
  currency: costBasis.currency,
  microsPerCredit: costBasis.microsPerCredit.toString(),
});
