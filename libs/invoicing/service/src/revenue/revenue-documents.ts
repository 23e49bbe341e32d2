import { PermanentFailure, type JsonObject } from '@burndown/ports';
import {
  isAccountingMonth,
  MOVEMENT_KINDS,
  type GrantRevenue,
  type MovementKind,
  type RevenueMovement,
} from '@burndown/invoicing-domain';

/** One document per journal line, id = the line's id (a repeat writes nothing new). */
export const REVENUE_LINES = 'revenue_lines';
/** What recognition keeps per paid grant, id = `<walletId>/<grantId>` (grant ids are a wallet's own). */
export const REVENUE_GRANTS = 'revenue_grants';

/** A grant's revenue state and how many lines made it (its document's version). */
export interface GrantRevenueDocument {
  readonly grant: GrantRevenue;
  readonly lines: bigint;
}

export const grantDocument = ({ grant }: GrantRevenueDocument): JsonObject => ({
  purchasedIn: grant.purchasedIn,
  takenExact: grant.takenExact.toString(),
});

export function grantOfDocument(document: JsonObject, lines: bigint): GrantRevenueDocument {
  const { purchasedIn, takenExact } = document;
  if (!isAccountingMonth(purchasedIn) || typeof takenExact !== 'string')
    throw new PermanentFailure(
      `${REVENUE_GRANTS}: unreadable document ${JSON.stringify(document)}`,
    );
  return { grant: { purchasedIn, takenExact: BigInt(takenExact) }, lines };
}

export const lineDocument = (line: RevenueMovement): JsonObject => ({
  customerId: line.customerId,
  currency: line.currency,
  kind: line.kind,
  exact: line.exact.toString(),
  minor: line.minor.toString(),
  grantId: line.grantId,
  month: line.month,
  occurredIn: line.occurredIn,
  late: line.late,
  purchasedIn: line.purchasedIn,
});

export function lineOfDocument(id: string, document: JsonObject): RevenueMovement {
  const field = (name: string): string => {
    const value = document[name];
    if (typeof value !== 'string') throw new Error(`${REVENUE_LINES}/${id}: ${name} missing`);
    return value;
  };
  const kind = field('kind');
  if (!(MOVEMENT_KINDS as readonly string[]).includes(kind))
    throw new Error(`${REVENUE_LINES}/${id}: unknown kind ${kind}`);
  return {
    id,
    customerId: field('customerId'),
    currency: field('currency'),
    kind: kind as MovementKind,
    exact: BigInt(field('exact')),
    minor: BigInt(field('minor')),
    grantId: field('grantId'),
    month: field('month'),
    occurredIn: field('occurredIn'),
    late: document['late'] === true,
    purchasedIn: field('purchasedIn'),
  };
}
