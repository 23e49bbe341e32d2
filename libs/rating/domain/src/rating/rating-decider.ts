import { inBatch } from '@burndown/decider-kit';
import { decideRating } from './decide-rating';
import { evolveRating } from './evolve-rating';
import { initialRatingState } from './rating-state';

export const ratingDecider = {
  decide: decideRating,
  evolve: evolveRating,
  initialState: initialRatingState,
  batch: inBatch,
} as const;
