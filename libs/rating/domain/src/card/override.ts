import { JsonReader } from './json-reader';
import type { BurnRule, RateCard } from './rate-card';
import { InvalidRateCardError, readRules } from './read-rate-card';
import { validateRateCard } from './validate-rate-card';

/** Reads a customer's override rules (shape and rates); whether they fit a card is checked by applying them. */
export function readOverrideRules(rules: readonly Readonly<Record<string, unknown>>[]): readonly BurnRule[] {
  return readRules(rules);
}

/** The card with a customer's rules: a rule with an existing id replaces it, a new id is added. */
export function withOverride(card: RateCard, overrideRules: readonly BurnRule[]): RateCard {
  const replaced = new Map(overrideRules.map((rule) => [rule.ruleId, rule]));
  const rules = card.rules.map((rule) => replaced.get(rule.ruleId) ?? rule);
  const added = overrideRules.filter((rule) => !card.rules.some((existing) => existing.ruleId === rule.ruleId));
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
