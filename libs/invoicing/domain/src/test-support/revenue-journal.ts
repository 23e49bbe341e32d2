import type { AccountingMonth } from '../accounting-month';
import { recognise, type GrantRevenue } from '../recognise';
import type { RevenueFact } from '../revenue-events';
import type { RevenueMovement } from '../revenue-movement';

/** Facts in order through recognise, as a projection applies them; closings between them. */
export function journalOf(
  steps: readonly (RevenueFact | { readonly close: AccountingMonth })[],
): RevenueMovement[] {
  const grants = new Map<string, GrantRevenue>();
  const movements: RevenueMovement[] = [];
  let closedThrough: AccountingMonth | null = null;
  for (const step of steps) {
    if ('close' in step) {
      closedThrough = step.close;
      continue;
    }
    const { grant, movement } = recognise(grants.get(step.data.grantId), step, closedThrough);
    if (grant !== undefined) grants.set(step.data.grantId, grant);
    if (movement !== undefined) movements.push(movement);
  }
  return movements;
}
