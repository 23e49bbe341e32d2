import type { FieldError } from '@burndown/http';
import type { UsageEventDto } from './usage-event.dto';

/**
 * Ids sent twice in one batch with different contents, each occurrence named by `fieldOf(index)`
 * and pointing at the other. Identical repeats are no conflict: the second is a duplicate.
 */
export function conflictingRepeats(
  events: readonly { readonly index: number; readonly event: UsageEventDto }[],
  fieldOf: (index: number) => string,
): FieldError[] {
  // Contents are compared only when an id comes back: a batch without repeats costs a map lookup per event.
  const firstById = new Map<string, { index: number; event: UsageEventDto }>();
  const errors: FieldError[] = [];
  for (const { index, event } of events) {
    const first = firstById.get(event.id);
    if (first === undefined) firstById.set(event.id, { index, event });
    else if (contentOf(first.event) !== contentOf(event))
      errors.push(
        {
          field: fieldOf(first.index),
          detail: `id ${event.id} is sent again at ${fieldOf(index)} with different content`,
        },
        {
          field: fieldOf(index),
          detail: `id ${event.id} was sent at ${fieldOf(first.index)} with different content`,
        },
      );
  }
  return errors;
}

/** What the event says, independent of key order and of how the quantity was written. */
function contentOf(event: UsageEventDto): string {
  return JSON.stringify([
    event.customerId,
    event.type,
    String(event.quantity),
    event.timestamp ?? null,
    sortedKeys(event.properties ?? {}),
    event.providerCostMicros ?? null,
  ]);
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}
