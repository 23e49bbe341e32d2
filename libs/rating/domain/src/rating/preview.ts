import type { CompiledCard } from '../card/compiled-card';
import { decideRating } from './decide-rating';
import { evolveRating } from './evolve-rating';
import { RatingRefused } from './rating-refusal';
import { initialRatingState, type RateOverride, type RatingState } from './rating-state';
import type { Usage } from './usage';

/** A usage event as it was rated, with what it burned and earned. */
export interface RecordedRating {
  readonly usage: Usage;
  readonly credits: bigint;
  readonly revenueMicros: bigint;
}

export interface CustomerPreview {
  readonly customerId: string;
  readonly events: number;
  readonly publishedCredits: bigint;
  readonly draftCredits: bigint;
  readonly creditDelta: bigint;
  readonly publishedRevenueMicros: bigint;
  readonly draftRevenueMicros: bigint;
  readonly revenueDeltaMicros: bigint;
  /** Events the draft could not rate, with why (the first few). */
  readonly refused: number;
  readonly refusals: readonly { readonly usageEventId: string; readonly reason: string }[];
}

const MAX_REFUSALS_LISTED = 10;

/**
 * Re-rates one customer's recorded usage with a draft card, in the order it happened, from empty
 * period counters at the start of the window, and compares with what was recorded.
 */
export function previewCustomer(
  customerId: string,
  recorded: readonly RecordedRating[],
  draft: CompiledCard,
  override: RateOverride | null,
): CustomerPreview {
  const ordered = [...recorded].sort(
    (a, b) => a.usage.occurredAt.getTime() - b.usage.occurredAt.getTime(),
  );
  let state: RatingState = { ...initialRatingState(), override };
  let draftCredits = 0n;
  let draftRevenueMicros = 0n;
  let publishedCredits = 0n;
  let publishedRevenueMicros = 0n;
  const refusals: { usageEventId: string; reason: string }[] = [];
  let refused = 0;
  for (const { usage, credits, revenueMicros } of ordered) {
    publishedCredits += credits;
    publishedRevenueMicros += revenueMicros;
    try {
      const events = decideRating(
        {
          type: 'RateUsage',
          commandId: `preview:${usage.usageEventId}`,
          at: usage.occurredAt,
          usage,
          cards: () => draft,
        },
        state,
      );
      for (const event of events) {
        if (event.type === 'UsageRated') {
          draftCredits += event.data.credits;
          draftRevenueMicros += event.data.revenueMicros;
        }
        state = evolveRating(state, event);
      }
    } catch (error) {
      if (!(error instanceof RatingRefused)) throw error;
      refused++;
      if (refusals.length < MAX_REFUSALS_LISTED)
        refusals.push({
          usageEventId: usage.usageEventId,
          reason: `${error.code}: ${error.message}`,
        });
    }
  }
  return {
    customerId,
    events: ordered.length,
    publishedCredits,
    draftCredits,
    creditDelta: draftCredits - publishedCredits,
    publishedRevenueMicros,
    draftRevenueMicros,
    revenueDeltaMicros: draftRevenueMicros - publishedRevenueMicros,
    refused,
    refusals,
  };
}
