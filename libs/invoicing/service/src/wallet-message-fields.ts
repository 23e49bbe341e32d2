import { isAmountText } from '@burndown/money';
import { PermanentFailure } from '@burndown/ports';
import type { CostBasis } from '@burndown/invoicing-domain';

/**
 * Fields of a wallet integration message (docs/asyncapi.yaml), read strictly: a message that
 * lacks one is a permanent failure (it goes to dead letters, named), never a guess.
 */
export type Json = { readonly [key: string]: unknown };

export function objectAt(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PermanentFailure(`wallet message: ${path} is not an object`);
  return value as Json;
}

export function text(record: Json, field: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '')
    throw new PermanentFailure(`wallet message: ${field} missing`);
  return value;
}

export function amount(record: Json, field: string): bigint {
  const value = record[field];
  if (!isAmountText(value)) throw new PermanentFailure(`wallet message: ${field} is not an amount`);
  return BigInt(value);
}

export function time(record: Json, field: string): Date {
  const value = optionalTime(record, field);
  if (value === undefined) throw new PermanentFailure(`wallet message: ${field} missing`);
  return value;
}

export function optionalTime(record: Json, field: string): Date | undefined {
  const value = record[field];
  if (value === null || value === undefined) return undefined;
  const parsed = typeof value === 'string' ? new Date(value) : undefined;
  if (parsed === undefined || Number.isNaN(parsed.getTime()))
    throw new PermanentFailure(`wallet message: ${field} is not a time`);
  return parsed;
}

/** Undefined for a grant whose terms the message could not name (it cost nothing). */
export function costBasisAt(value: unknown, path: string): CostBasis | undefined {
  if (value === null || value === undefined) return undefined;
  const costBasis = objectAt(value, path);
  const currency = costBasis['currency'];
  if (typeof currency !== 'string')
    throw new PermanentFailure(`wallet message: ${path}.currency missing`);
  return { currency, microsPerCredit: amount(costBasis, 'microsPerCredit') };
}
