import { CommandLog } from '@burndown/decider-kit';
import type { BurnRule } from '../card/rate-card';
import type { Ratio } from '../pricing/ratio';

export interface Counter {
  readonly periodKey: string;
  readonly aggregate: Ratio;
  readonly billed: bigint;
  readonly uniques: ReadonlySet<string> | null;
}

export interface RateOverride {
  readonly rules: readonly BurnRule[];
  /** The rules as they were set, for snapshots. */
  readonly json: readonly Readonly<Record<string, unknown>>[];
}

/** One customer's rating: its card, its overrides, its period counters and the events it rated. */
export interface RatingState {
  readonly cardId: string | null;
  readonly override: RateOverride | null;
  /** By `meterId|ruleId`. */
  readonly counters: ReadonlyMap<string, Counter>;
  readonly rated: CommandLog;
}

export const DEFAULT_CARD_ID = 'default';
/** A usage event rated again within this long is recognised and burns nothing more. */
export const RATING_DEDUPE_HORIZON_MS = 35 * 86_400_000;

export const initialRatingState = (): RatingState => ({
  cardId: null,
  override: null,
  counters: new Map(),
  rated: CommandLog.empty(),
});

export const counterKey = (meterId: string, ruleId: string): string => `${meterId}|${ruleId}`;
