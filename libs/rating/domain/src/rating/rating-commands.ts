import type { CompiledCard } from '../card/compiled-card';
import type { RateOverride } from './rating-state';
import type { Usage } from './usage';

/** The card version in force at `at` for a card id, with a customer's overrides applied. */
export type CardResolver = (
  cardId: string,
  at: Date,
  override: RateOverride | null,
) => CompiledCard | undefined;

interface CommandData {
  readonly commandId: string;
  readonly at: Date;
}

export type RateUsage = CommandData & {
  readonly type: 'RateUsage';
  readonly usage: Usage;
  readonly cards: CardResolver;
};
export type AssignRateCard = CommandData & {
  readonly type: 'AssignRateCard';
  readonly cardId: string;
};
export type SetRateOverride = CommandData & {
  readonly type: 'SetRateOverride';
  readonly rules: readonly Readonly<Record<string, unknown>>[];
};

export type RatingCommand = RateUsage | AssignRateCard | SetRateOverride;
