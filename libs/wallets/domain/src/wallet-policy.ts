/** What happens when a debit or hold needs more credit than is available. */
export type OverdraftPolicy =
  | { readonly mode: 'block' }
  /** The balance may go negative down to −limit; the negative part is billed as overage. */
  | { readonly mode: 'allow-to-limit'; readonly limit: bigint };

/**
 * Ask for a top-up when available credit falls below `threshold`, at most once per cooldown and
 * at most `maxPerPeriod` times per period, so a failing payment cannot loop.
 */
export interface AutoTopUp {
  readonly threshold: bigint;
  readonly amount: bigint;
  readonly cooldownMs: number;
  readonly maxPerPeriod: number;
  readonly periodMs: number;
}

export interface AlertPolicy {
  /** Alert when available credit falls below each of these (micro-credits). */
  readonly balanceThresholds: readonly bigint[];
  /** Alert when this share of the period's allowance is used (whole percent). */
  readonly allowanceUsedPercents: readonly number[];
}

/** How unused allowance carries into the next period. */
export type RolloverPolicy =
  | { readonly mode: 'none' }
  /** Every unused credit of each allowance rolls over, uncapped. */
  | {
      readonly mode: 'all';
      /** Rollover credit expires this long after the period it was rolled into starts. */
      readonly expiresAfterMs: number | null;
    }
  | {
      readonly mode: 'capped';
      /** Rollover credit in force is capped at this whole percentage of the allowance (200 = 2×)… */
      readonly capPercentOfAllowance: number | null;
      /** …or at this fixed amount. Exactly one of the two is set. */
      readonly fixedCap: bigint | null;
      /** Rollover credit expires this long after the period it was rolled into starts. */
      readonly expiresAfterMs: number | null;
    };

/** A recurring allowance: the scheduler starts a period of `amount` every `count` days or months. */
export interface AllowancePlan {
  readonly amount: bigint;
  readonly every: { readonly unit: AllowancePeriodUnit; readonly count: number };
}

export const ALLOWANCE_PERIOD_UNITS = ['day', 'month'] as const;
export type AllowancePeriodUnit = (typeof ALLOWANCE_PERIOD_UNITS)[number];

/** The end of a period that starts at `start`; months are calendar months in UTC (Jan 31 + 1 month = Feb 28). */
export function periodEndAfter(start: Date, every: AllowancePlan['every']): Date {
  if (every.unit === 'day') return new Date(start.getTime() + every.count * 86_400_000);
  const end = new Date(start);
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + every.count);
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, lastDay));
  return end;
}

export interface WalletPolicy {
  readonly overdraft: OverdraftPolicy;
  readonly autoTopUp: AutoTopUp | null;
  readonly alerts: AlertPolicy;
  readonly rollover: RolloverPolicy;
  /** Refilled by the scheduler at each period start; null: allowances are granted by hand or by invoicing. */
  readonly allowance: AllowancePlan | null;
  /** A command id repeated within this long produces no new events. */
  readonly dedupeHorizonMs: number;
}

export const DEFAULT_DEDUPE_HORIZON_MS = 35 * 86_400_000;

export const DEFAULT_WALLET_POLICY: WalletPolicy = {
  overdraft: { mode: 'block' },
  autoTopUp: null,
  alerts: { balanceThresholds: [], allowanceUsedPercents: [80] },
  rollover: { mode: 'none' },
  allowance: null,
  dedupeHorizonMs: DEFAULT_DEDUPE_HORIZON_MS,
};
