import { isGrantKind } from './grant-kind';
import { decodeShape, encodeShape, UndecodableError, type Json, type Shape } from './json-shape';
import type { WalletEvent, WalletEventType } from './wallet-events';

/**
 * Version of the JSON shapes below, stamped on every stored event's metadata; bump it (and keep
 * decoding the old ones) when one changes. 3: the policy gained `allowance` (absent in 2: null).
 * 4: UsageDebited gained `uncovered` (absent in 3: 0). 5: CreditsGranted gained `rollover` (absent
 * in 4: null, the wallet policy's) and a rollover policy may be `all`.
 */
export const WALLET_EVENT_SCHEMA_VERSION = 5;

export const allocationsShape: Shape = {
  array: { object: { grantId: 'string', amount: 'amount' } },
};
export const costBasisShape: Shape = { object: { currency: 'string', microsPerCredit: 'amount' } };

export const rolloverShape: Shape = {
  union: 'mode',
  variants: {
    none: {},
    all: { expiresAfterMs: { nullable: 'integer' } },
    capped: {
      capPercentOfAllowance: { nullable: 'integer' },
      fixedCap: { nullable: 'amount' },
      expiresAfterMs: { nullable: 'integer' },
    },
  },
};

export const walletPolicyShape: Shape = {
  object: {
    overdraft: { union: 'mode', variants: { block: {}, 'allow-to-limit': { limit: 'amount' } } },
    autoTopUp: {
      nullable: {
        object: {
          threshold: 'amount',
          amount: 'amount',
          cooldownMs: 'integer',
          maxPerPeriod: 'integer',
          periodMs: 'integer',
        },
      },
    },
    alerts: {
      object: {
        balanceThresholds: { array: 'amount' },
        allowanceUsedPercents: { array: 'integer' },
      },
    },
    rollover: rolloverShape,
    // Absent in events written before allowance plans existed: it decodes as null.
    allowance: {
      nullable: {
        object: { amount: 'amount', every: { object: { unit: 'string', count: 'integer' } } },
      },
    },
    dedupeHorizonMs: 'integer',
  },
};

/** What a grant is given with; the grant itself adds what was spent of it. */
export const grantTermsShape = {
  grantId: 'string',
  kind: 'string',
  amount: 'amount',
  costBasis: costBasisShape,
  priority: 'integer',
  effectiveAt: 'time',
  expiresAt: { nullable: 'time' },
  scope: { array: 'string' },
  source: { nullable: 'string' },
  // Absent in events written before grants had rollover terms of their own: null.
  rollover: { nullable: rolloverShape },
} as const satisfies Readonly<Record<string, Shape>>;

/** What a hold is placed with; the hold itself adds when. */
export const holdTermsShape = {
  holdId: 'string',
  amount: 'amount',
  feature: 'string',
  budgetId: { nullable: 'string' },
  earmarks: allocationsShape,
  overdraft: 'amount',
  expiresAt: 'time',
} as const satisfies Readonly<Record<string, Shape>>;

const common = { commandId: 'string', at: 'time' } as const;

const dataShapes: { readonly [Type in WalletEventType]: { readonly [field: string]: Shape } } = {
  WalletOpened: { ...common, walletId: 'string', customerId: 'string', name: 'string' },
  WalletPolicyChanged: { ...common, policy: walletPolicyShape },
  BudgetSet: { ...common, budgetId: 'string', cap: 'amount' },
  CreditsGranted: { ...common, ...grantTermsShape },
  UsageDebited: {
    ...common,
    usageEventId: 'string',
    feature: 'string',
    amount: 'amount',
    allocations: allocationsShape,
    overdraft: 'amount',
    // Absent in events written before usage was booked whatever the policy: none was.
    uncovered: { defaulted: 'amount', absent: 0n },
    budgetId: { nullable: 'string' },
    // Absent in events written before it was kept: it decodes as null.
    usageOccurredAt: { nullable: 'time' },
  },
  OverageSettled: {
    ...common,
    settlementId: 'string',
    amount: 'amount',
    outcome: 'string',
    reference: 'string',
  },
  CreditsDeducted: {
    ...common,
    adjustmentId: 'string',
    amount: 'amount',
    allocations: allocationsShape,
    reason: 'string',
  },
  PurchaseRefunded: {
    ...common,
    refundId: 'string',
    grantId: 'string',
    amount: 'amount',
    costBasis: costBasisShape,
    reason: 'string',
  },
  CreditsHeld: { ...common, ...holdTermsShape },
  HoldSettled: {
    ...common,
    holdId: 'string',
    amount: 'amount',
    allocations: allocationsShape,
    overdraft: 'amount',
    released: allocationsShape,
  },
  HoldReleased: { ...common, holdId: 'string', released: allocationsShape },
  HoldExpired: { ...common, holdId: 'string', released: allocationsShape },
  GrantExpired: { ...common, grantId: 'string', amount: 'amount' },
  TopUpRequested: { ...common, requestId: 'string', amount: 'amount', available: 'signedAmount' },
  LowBalanceAlerted: { ...common, threshold: 'amount', available: 'signedAmount' },
  AllowanceUsageAlerted: {
    ...common,
    grantId: 'string',
    percent: 'integer',
    used: 'amount',
    allowance: 'amount',
  },
  WalletDepleted: { ...common, available: 'signedAmount' },
  WalletRecovered: { ...common, available: 'signedAmount' },
};

export interface EncodedWalletEvent {
  readonly type: WalletEventType;
  readonly data: { readonly [key: string]: Json };
}

export class UndecodableWalletEventError extends UndecodableError {
  override readonly name = 'UndecodableWalletEventError';
}

/**
 * Events are immutable, and one event is encoded by its writer, the ledger and the relay in turn
 * (the fan-out hands them the writer's own event object): each is encoded once.
 */
const encodedEvents = new WeakMap<WalletEvent, EncodedWalletEvent>();

/** JSON form of a wallet event: amounts as decimal strings, times as ISO-8601. */
export function encodeWalletEvent(event: WalletEvent): EncodedWalletEvent {
  const known = encodedEvents.get(event);
  if (known !== undefined) return known;
  const data = encodeShape(event.data, {
    object: dataShapes[event.type],
  }) as EncodedWalletEvent['data'];
  const encoded = { type: event.type, data };
  encodedEvents.set(event, encoded);
  return encoded;
}

export function decodeWalletEvent(
  type: string,
  data: Readonly<Record<string, unknown>>,
): WalletEvent {
  const shape = (dataShapes as Readonly<Record<string, { readonly [field: string]: Shape }>>)[type];
  if (shape === undefined)
    throw new UndecodableWalletEventError(`unknown wallet event type ${type}`);
  try {
    const decoded = decodeShape(data, { object: shape }, type) as Record<string, unknown>;
    if (type === 'CreditsGranted' && !isGrantKind(decoded['kind'])) {
      throw new UndecodableWalletEventError(
        `${type}.kind: unknown grant kind ${String(decoded['kind'])}`,
      );
    }
    return { type, data: decoded } as unknown as WalletEvent;
  } catch (error) {
    if (error instanceof UndecodableError && !(error instanceof UndecodableWalletEventError)) {
      throw new UndecodableWalletEventError(error.message, { cause: error });
    }
    throw error;
  }
}
