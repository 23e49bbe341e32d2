import type { BusMessage, JsonObject } from '@burndown/ports';

export const USD_2C = { currency: 'USD', microsPerCredit: '2000000' };
export const FREE = { currency: 'XXX', microsPerCredit: '0' };

/** A wallet message as docs/asyncapi.yaml defines it (kind subject, standing, the event's data). */
export function walletMessage(
  kind: string,
  type: string,
  data: JsonObject,
  options: { eventId?: string; revision?: string; customerId?: string } = {},
): { subject: string; payload: JsonObject } {
  const customerId = options.customerId ?? 'acme';
  return {
    subject: `wallet.${kind}.${customerId}`,
    payload: {
      walletId: customerId,
      customerId,
      revision: options.revision ?? '7',
      eventId: options.eventId ?? `event-${kind}`,
      occurredAt: '2026-12-02T10:00:00.000Z',
      balance: '1000000',
      available: '1000000',
      held: '0',
      overage: '0',
      type,
      delta: '0',
      data: { commandId: `command-${kind}`, at: '2026-12-02T10:00:00.000Z', ...data },
    },
  };
}

export const paidAllocation = {
  grantId: 'pack',
  amount: '300000',
  kind: 'purchased',
  costBasis: USD_2C,
};
export const freeAllocation = {
  grantId: 'promo',
  amount: '200000',
  kind: 'promotional',
  costBasis: FREE,
};

/** One message of each kind revenue reads, and one it does not. */
export const messages = {
  granted: walletMessage('granted', 'CreditsGranted', {
    grantId: 'pack',
    kind: 'purchased',
    amount: '5000000',
    costBasis: USD_2C,
    priority: 100,
    effectiveAt: '2026-12-02T10:00:00.000Z',
    expiresAt: '2027-01-31T23:59:59.000Z',
    scope: [],
    source: 'invoice-1',
  }),
  promoGranted: walletMessage('granted', 'CreditsGranted', {
    grantId: 'promo',
    kind: 'promotional',
    amount: '1000000',
    costBasis: FREE,
    priority: 100,
    effectiveAt: '2026-12-02T10:00:00.000Z',
    expiresAt: null,
    scope: [],
    source: null,
  }),
  debited: walletMessage('debited', 'UsageDebited', {
    usageEventId: 'u1',
    feature: 'llm.tokens',
    amount: '500000',
    allocations: [freeAllocation, paidAllocation],
    overdraft: '0',
    uncovered: '0',
    budgetId: null,
    usageOccurredAt: '2026-11-30T23:59:00.000Z',
  }),
  settled: walletMessage('hold-settled', 'HoldSettled', {
    holdId: 'h1',
    amount: '300000',
    allocations: [paidAllocation],
    overdraft: '0',
    released: [],
  }),
  deducted: walletMessage('deducted', 'CreditsDeducted', {
    adjustmentId: 'a1',
    amount: '300000',
    allocations: [paidAllocation],
    reason: 'double grant',
  }),
  expired: walletMessage('grant-expired', 'GrantExpired', {
    grantId: 'pack',
    amount: '700000',
    kind: 'purchased',
    costBasis: USD_2C,
    expiresAt: '2027-01-31T23:59:59.000Z',
  }),
  refunded: walletMessage('purchase-refunded', 'PurchaseRefunded', {
    refundId: 'r1',
    grantId: 'pack',
    amount: '1000000',
    costBasis: USD_2C,
    reason: 'cancelled',
    kind: 'purchased',
  }),
  alert: walletMessage('low-balance-alerted', 'LowBalanceAlerted', {
    threshold: '2000000',
    available: '1000000',
  }),
};

let sequence = 0n;

/** A wallet message as the bus hands it to a consumer, on its `deliveryCount`th delivery. */
export const delivered = (payload: JsonObject, deliveryCount = 1): BusMessage => ({
  stream: 'WALLET_EVENTS',
  subject: `wallet.x.${String(payload['walletId'])}`,
  msgId: String(payload['eventId']),
  sequence: ++sequence,
  payload,
  headers: {},
  deliveryCount,
  publishedAt: new Date(),
});
