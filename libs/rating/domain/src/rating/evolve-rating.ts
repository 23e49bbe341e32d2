import { editableMap } from '@burndown/decider-kit';
import { overrideOf } from '../card/override';
import { parseRatio } from '../pricing/ratio';
import type { RatingEvent } from './rating-events';
import {
  counterKey,
  RATING_DEDUPE_HORIZON_MS,
  type Counter,
  type RatingState,
} from './rating-state';

/** Pure: the rating state after one more event. */
export function evolveRating(state: RatingState, event: RatingEvent): RatingState {
  const rated = state.rated.record(
    event.data.commandId,
    event.data.at.getTime(),
    RATING_DEDUPE_HORIZON_MS,
  );
  switch (event.type) {
    case 'RateCardAssigned':
      // A new card starts its counters afresh: its rules are not the old card's.
      return { ...state, rated, cardId: event.data.cardId, counters: new Map() };
    case 'RateOverrideSet':
      return { ...state, rated, override: overrideOf(event.data.rules) };
    case 'UsageRated': {
      const stateful = event.data.lines.filter((line) => line.counter !== null);
      if (stateful.length === 0) return { ...state, rated };
      const counters = editableMap(state.counters);
      for (const line of stateful) {
        const after = line.counter as NonNullable<typeof line.counter>;
        const key = counterKey(line.meterId, line.ruleId);
        const previous = counters.get(key);
        const samePeriod = previous !== undefined && previous.periodKey === after.periodKey;
        let uniques = samePeriod ? previous.uniques : null;
        if (after.uniqueValue !== null) uniques = new Set(uniques ?? []).add(after.uniqueValue);
        const counter: Counter = {
          periodKey: after.periodKey,
          aggregate: parseRatio(after.aggregate),
          billed: after.billed,
          uniques,
        };
        counters.set(key, counter);
      }
      return { ...state, rated, counters };
    }
  }
}
