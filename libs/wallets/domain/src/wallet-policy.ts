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
  | {
      readonly mode: 'capped';
      /** Rollover credit in force is capped at this whole percentage of the allowance (200 = 2×)… */
      readonly capPercentOfAllowance: number | null;
      /** …or at this fixed amount. Exactly one of the two is set. */
      readonly fixedCap: bigint | null;
      /** Rollover credit expires this long after the period it was rolled into starts. */
      readonly expiresAfterMs: number | null;
    };

export interface WalletPolicy {
  readonly overdraft: OverdraftPolicy;
  readonly autoTopUp: AutoTopUp | null;
  readonly alerts: AlertPolicy;
  readonly rollover: RolloverPolicy;
  /** A command id repeated within this long produces no new events. */
  readonly dedupeHorizonMs: number;
}

export const DEFAULT_DEDUPE_HORIZON_MS = 35 * 86_400_000;

export const DEFAULT_WALLET_POLICY: WalletPolicy = {
  overdraft: { mode: 'block' },
  autoTopUp: null,
  alerts: { balanceThresholds: [], allowanceUsedPercents: [80] },
  rollover: { mode: 'none' },
  dedupeHorizonMs: DEFAULT_DEDUPE_HORIZON_MS,
};
