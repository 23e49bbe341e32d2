import { isAmountText } from '@burndown/money';
import type { JsonObject, JsonValue } from '@burndown/ports';

/**
 * What a wallet's messages say about its overage, kept by the revenue projection in each wallet's
 * document (so every message counts once, in revision order): how much was booked as overage in
 * all, how much of that the overdraft policy did not allow, and what the wallet owes after the
 * latest message applied. Counters start with the first message applied after they were kept.
 */
export interface OverageBooked {
  readonly booked: bigint;
  readonly uncovered: bigint;
  readonly owed: bigint;
}

export const NO_OVERAGE: OverageBooked = { booked: 0n, uncovered: 0n, owed: 0n };

/** One message's part: what it booked, and the wallet's overage after it (undefined: a summary). */
export interface OverageChange {
  readonly booked: bigint;
  readonly uncovered: bigint;
  readonly owedAfter: bigint | undefined;
}

const amountOr0 = (record: JsonObject | undefined, field: string): bigint => {
  const value = record?.[field];
  return typeof value === 'string' && isAmountText(value) ? BigInt(value) : 0n;
};

export function overageChangeOf(payload: JsonValue): OverageChange {
  const message = (payload ?? {}) as JsonObject;
  const data = message['data'] as JsonObject | undefined;
  const booked =
    message['type'] === 'UsageDebited' || message['type'] === 'HoldSettled'
      ? amountOr0(data, 'overdraft')
      : 0n;
  const uncovered = message['type'] === 'UsageDebited' ? amountOr0(data, 'uncovered') : 0n;
  const owed = message['overage'];
  return {
    booked,
    uncovered,
    owedAfter: typeof owed === 'string' && isAmountText(owed) ? BigInt(owed) : undefined,
  };
}

export const withOverageChange = (before: OverageBooked, change: OverageChange): OverageBooked => ({
  booked: before.booked + change.booked,
  uncovered: before.uncovered + change.uncovered,
  owed: change.owedAfter ?? before.owed,
});

export const overageDocumentFields = (overage: OverageBooked): JsonObject => ({
  overageBooked: overage.booked.toString(),
  overageUncovered: overage.uncovered.toString(),
  overageOwed: overage.owed.toString(),
});

/** Absent in documents written before overage was kept: none booked then. */
export const overageOfDocument = (document: JsonObject): OverageBooked => ({
  booked: amountOr0(document, 'overageBooked'),
  uncovered: amountOr0(document, 'overageUncovered'),
  owed: amountOr0(document, 'overageOwed'),
});
