import type { RevenueMovement } from './revenue-movement';

/**
 * A line of the revenue journal: the movements of one grant and kind, booked in one month and
 * happened in one month, added up. One line per grant and month rather than one per wallet event
 * keeps the journal, and every report read from it, as long as the grants are many, not the burns.
 */
export interface RevenueLine extends Omit<RevenueMovement, 'id'> {
  /** `<grant>/<kind>/<month booked>/<month it happened>`, after the prefix of the grant's owner. */
  readonly id: string;
  /** How many movements it adds up. */
  readonly items: number;
}

/** Which line a movement adds to, among the lines of the grant's owner. */
export const lineKeyOf = (movement: RevenueMovement): string =>
  `${movement.grantId}/${movement.kind}/${movement.month}/${movement.occurredIn}`;

export function addToLine(
  line: RevenueLine | undefined,
  movement: RevenueMovement,
  id: string,
): RevenueLine {
  if (line === undefined) return { ...movement, id, items: 1 };
  return {
    ...line,
    exact: line.exact + movement.exact,
    minor: line.minor + movement.minor,
    items: line.items + 1,
  };
}

/** The lines of movements about one owner's grants, in the order of each line's first movement. */
export function linesOf(movements: readonly RevenueMovement[], prefix = ''): RevenueLine[] {
  const lines = new Map<string, RevenueLine>();
  for (const movement of movements) {
    const id = prefix + lineKeyOf(movement);
    lines.set(id, addToLine(lines.get(id), movement, id));
  }
  return [...lines.values()];
}
