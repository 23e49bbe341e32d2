import { JsonReader } from './json-reader';
import type { BurnRule, RateCard } from './rate-card';
import { InvalidRateCardError, readRules } from './read-rate-card';
import { validateRateCard } from './validate-rate-card';
import type { RateOverride } from '../rating/rating-state';

/**
 * A customer's override from its rules as set (shape and rates read once; whether they fit a card
 * is checked by applying them), kept with the JSON for snapshots. No rules: no override.
 */
export function overrideOf(
  json: readonly Readonly<Record<string, unknown>>[],
): RateOverride | null {
  return json.length === 0 ? null : { rules: readRules(json), json };
}

/** The card with a customer's rules: a rule with an existing id replaces it, a new id is added. */
function withOverride(card: RateCard, overrideRules: readonly BurnRule[]): RateCard {
  const replaced = new Map(overrideRules.map((rule) => [rule.ruleId, rule]));
  const rules = card.rules.map((rule) => replaced.get(rule.ruleId) ?? rule);
  const added = overrideRules.filter(
    (rule) => !card.rules.some((existing) => existing.ruleId === rule.ruleId),
  );
  return { ...card, rules: [...rules, ...added] };
}

/** withOverride, refusing overrides that name unknown meters or units or make rules ambiguous. */
export function applyOverride(card: RateCard, overrideRules: readonly BurnRule[]): RateCard {
  const merged = withOverride(card, overrideRules);
  const reader = new JsonReader();
  validateRateCard(merged, reader);
  if (reader.problems.length > 0) throw new InvalidRateCardError(reader.problems);
  return merged;
}
