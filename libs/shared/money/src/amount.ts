/**
 * Credits are held as bigint micro-credits: 1 credit = 1,000,000 micro-credits. Money is held as
 * bigint minor units of its currency. Both travel in JSON as decimal strings, never as numbers.
 */
export const MICRO_CREDITS_PER_CREDIT = 1_000_000n;

/** Longest decimal string accepted for an amount: far above any real balance, below abuse. */
export const MAX_AMOUNT_DIGITS = 30;

const AMOUNT_PATTERN = /^(0|[1-9][0-9]*)$/;

export class InvalidAmountError extends Error {
  override readonly name = 'InvalidAmountError';
}

/** Parses a non-negative integer written as a decimal string ("0", "1500"). */
export function parseAmount(text: string): bigint {
  if (text.length > MAX_AMOUNT_DIGITS || !AMOUNT_PATTERN.test(text)) {
    throw new InvalidAmountError(
      `expected a non-negative integer as a decimal string of at most ${MAX_AMOUNT_DIGITS} digits, got ${JSON.stringify(text)}`,
    );
  }
  return BigInt(text);
}

export function isAmountText(text: unknown): text is string {
  return typeof text === 'string' && text.length <= MAX_AMOUNT_DIGITS && AMOUNT_PATTERN.test(text);
}

export const formatAmount = (amount: bigint): string => amount.toString();

export const minBigint = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const maxBigint = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** Micro-credits written as credits with only the decimals they need (1500000 → "1.5"), for people. */
export function creditsText(microCredits: bigint): string {
  const negative = microCredits < 0n;
  const magnitude = negative ? -microCredits : microCredits;
  const fraction = (magnitude % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  const whole = (magnitude / 1_000_000n).toString();
  return `${negative ? '-' : ''}${fraction === '' ? whole : `${whole}.${fraction}`}`;
}
