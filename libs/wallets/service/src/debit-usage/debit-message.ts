import { isAmountText, parseAmount } from '@burndown/money';
import { PermanentFailure, type JsonValue } from '@burndown/ports';

/** A rated usage event on its way to a wallet (published by rating on `debits.<walletId>`). */
export interface DebitMessage {
  readonly usageEventId: string;
  readonly walletId: string;
  readonly usageType: string;
  readonly amount: bigint;
  /** When the usage happened, by its sender's clock. */
  readonly occurredAt: Date;
}

export function parseDebitMessage(payload: JsonValue): DebitMessage {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new PermanentFailure('debit message is not a JSON object');
  }
  const record = payload as Record<string, unknown>;
  const text = (field: string): string => {
    const value = record[field];
    if (typeof value !== 'string' || value === '')
      throw new PermanentFailure(`debit message: ${field} missing`);
    return value;
  };
  const amount = text('amount');
  if (!isAmountText(amount))
    throw new PermanentFailure(`debit message: amount ${amount} is not an amount`);
  const occurredAt = new Date(text('occurredAt'));
  if (Number.isNaN(occurredAt.getTime()))
    throw new PermanentFailure(`debit message: occurredAt ${text('occurredAt')} is not a time`);
  return {
    usageEventId: text('usageEventId'),
    walletId: text('walletId'),
    usageType: text('usageType'),
    amount: parseAmount(amount),
    occurredAt,
  };
}
