import { overrideOf } from '../card/override';
import { InvalidRateCardError } from '../card/read-rate-card';
import type { RateUsage, RatingCommand } from './rating-commands';
import type { RatingEvent } from './rating-events';
import { RatingRefused } from './rating-refusal';
import { DEFAULT_CARD_ID, type RatingState } from './rating-state';
import { rateUsage } from './rate-usage';

/** Pure: the events a rating command causes, or a RatingRefused. A usage event is rated once. */
export function decideRating(command: RatingCommand, state: RatingState): readonly RatingEvent[] {
  if (state.rated.has(command.commandId)) return [];
  const { commandId, at } = command;
  switch (command.type) {
    case 'AssignRateCard':
      return [{ type: 'RateCardAssigned', data: { commandId, at, cardId: command.cardId } }];
    case 'SetRateOverride':
      overrideOf(command.rules);
      return [{ type: 'RateOverrideSet', data: { commandId, at, rules: command.rules } }];
    case 'RateUsage': {
      const { usage } = command;
      const cardId = state.cardId ?? DEFAULT_CARD_ID;
      // The version in force when the usage happened, not when it arrived: late events keep their price.
      const card = resolveCard(command, cardId, state);
      if (card === undefined) {
        throw new RatingRefused(
          'no-rate-card',
          `no version of rate card ${cardId} is in force at ${usage.occurredAt.toISOString()}`,
        );
      }
      const rated = rateUsage(usage, card, state.counters);
      return [
        {
          type: 'UsageRated',
          data: {
            commandId,
            at,
            usageEventId: usage.usageEventId,
            usageType: usage.type,
            occurredAt: usage.occurredAt,
            quantity: usage.quantity,
            properties: usage.properties,
            cardId,
            cardVersion: card.version,
            lines: rated.lines,
            credits: rated.credits,
            currency: card.card.currency,
            revenueMicros: rated.revenueMicros,
            costMicros: rated.costMicros,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

function resolveCard(command: RateUsage, cardId: string, state: RatingState) {
  try {
    return command.cards(cardId, command.usage.occurredAt, state.override);
  } catch (error) {
    if (!(error instanceof InvalidRateCardError)) throw error;
    throw new RatingRefused(
      'invalid-override',
      `the customer's override no longer fits card ${cardId}: ${error.message}`,
    );
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled rating command ${JSON.stringify(value)}`);
}
