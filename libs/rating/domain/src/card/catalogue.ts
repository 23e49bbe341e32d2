import { CompiledCard } from './compiled-card';
import { applyOverride } from './override';
import type { RateCard } from './rate-card';
import type { RateOverride } from '../rating/rating-state';

export interface PublishedVersion {
  readonly version: number;
  readonly effectiveFrom: Date;
  readonly card: RateCard;
}

/**
 * Every published version of every card, by effective date, compiled once. A customer's override
 * compiles once per (version, override): overrides are immutable values, so they key a WeakMap.
 */
export class RateCardCatalogue {
  private readonly versions = new Map<string, PublishedVersion[]>();
  private readonly compiled = new Map<string, CompiledCard>();
  private readonly withOverrides = new WeakMap<RateOverride, Map<string, CompiledCard>>();

  publish(cardId: string, published: PublishedVersion): void {
    const list = (this.versions.get(cardId) ?? []).filter(
      (existing) => existing.version !== published.version,
    );
    list.push(published);
    list.sort(
      (a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime() || a.version - b.version,
    );
    this.versions.set(cardId, list);
  }

  /** The version in force at `at`: the latest effective at or before it (the highest version on a tie). */
  versionAt(cardId: string, at: Date): PublishedVersion | undefined {
    const list = this.versions.get(cardId);
    if (list === undefined) return undefined;
    let found: PublishedVersion | undefined;
    for (const candidate of list)
      if (candidate.effectiveFrom.getTime() <= at.getTime()) found = candidate;
    return found;
  }

  /** For the rating decider: undefined when no version is in force or the override no longer fits. */
  resolve = (cardId: string, at: Date, override: RateOverride | null): CompiledCard | undefined => {
    const published = this.versionAt(cardId, at);
    if (published === undefined) return undefined;
    const key = `${cardId}@${published.version}`;
    if (override === null) {
      let card = this.compiled.get(key);
      if (card === undefined)
        this.compiled.set(key, (card = new CompiledCard(published.card, published.version)));
      return card;
    }
    let forOverride = this.withOverrides.get(override);
    if (forOverride === undefined) this.withOverrides.set(override, (forOverride = new Map()));
    let card = forOverride.get(key);
    if (card === undefined) {
      card = new CompiledCard(applyOverride(published.card, override.rules), published.version);
      forOverride.set(key, card);
    }
    return card;
  };
}
