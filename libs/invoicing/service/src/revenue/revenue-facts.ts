import { PermanentFailure, type JsonValue } from '@burndown/ports';
import type { CostBasis, RevenueFact } from '@burndown/invoicing-domain';
import {
  amount,
  costBasisAt,
  objectAt,
  optionalTime,
  text,
  time,
  type Json,
} from '../wallet-message-fields';

/**
 * What revenue recognition takes from one wallet integration message (docs/asyncapi.yaml): a
 * paid grant is a purchase; each grant a debit or a settled hold drew on is a burn (dated when the
 * usage happened); an expiry (dated at the grant's expiry) or a deduction is breakage; a purchase
 * refund is a refund. Every other kind, and the balance summaries, say nothing about revenue.
 */
export function revenueFactsOf(payload: JsonValue): RevenueFact[] {
  const message = objectAt(payload, 'message');
  const type = message['type'];
  if (typeof type !== 'string') return [];
  const data = objectAt(message['data'], 'data');
  const base = {
    eventId: text(message, 'eventId'),
    customerId: text(message, 'customerId'),
  };
  // The one grant an event of these kinds names, with its cost basis (none: it cost nothing).
  const grant = () => {
    const costBasis = costBasisAt(data['costBasis'], 'data.costBasis');
    return costBasis === undefined || costBasis.microsPerCredit === 0n
      ? undefined
      : { ...base, grantId: text(data, 'grantId'), amount: amount(data, 'amount'), costBasis };
  };
  switch (type) {
    case 'CreditsGranted': {
      const purchased = grant();
      return purchased === undefined
        ? []
        : [{ type: 'CreditsPurchased', data: { ...purchased, at: time(data, 'at') } }];
    }
    case 'UsageDebited':
    case 'HoldSettled': {
      const at =
        type === 'UsageDebited'
          ? (optionalTime(data, 'usageOccurredAt') ?? time(data, 'at'))
          : time(data, 'at');
      return allocations(data).map((taken) => ({
        type: 'CreditsBurned',
        data: { ...base, ...taken, at },
      }));
    }
    case 'CreditsDeducted':
      return allocations(data).map((taken) => ({
        type: 'CreditsForfeited',
        data: { ...base, ...taken, at: time(data, 'at'), reason: 'deducted' },
      }));
    case 'GrantExpired': {
      const expired = grant();
      const at = optionalTime(data, 'expiresAt') ?? time(data, 'at');
      return expired === undefined
        ? []
        : [{ type: 'CreditsForfeited', data: { ...expired, at, reason: 'expired' } }];
    }
    case 'PurchaseRefunded': {
      const refunded = grant();
      return refunded === undefined
        ? []
        : [{ type: 'CreditsRefunded', data: { ...refunded, at: time(data, 'at') } }];
    }
    default:
      return [];
  }
}

/** The grants a movement names, with the cost basis each was bought at (none: cost nothing). */
function allocations(data: Json): { grantId: string; amount: bigint; costBasis: CostBasis }[] {
  const list = data['allocations'];
  if (!Array.isArray(list))
    throw new PermanentFailure('wallet message: data.allocations is not a list');
  return list.flatMap((item: unknown, index) => {
    const allocation = objectAt(item, `data.allocations[${index}]`);
    const costBasis = costBasisAt(allocation['costBasis'], `data.allocations[${index}].costBasis`);
    if (costBasis === undefined) return [];
    return [
      { grantId: text(allocation, 'grantId'), amount: amount(allocation, 'amount'), costBasis },
    ];
  });
}
