import { PermanentFailure, type JsonObject } from '@burndown/ports';
import {
  overageDocumentFields,
  overageOfDocument,
  type OverageBooked,
} from '../overage/overage-booked';
import {
  isAccountingMonth,
  MOVEMENT_KINDS,
  type GrantRevenue,
  type MovementKind,
  type RevenueLine,
} from '@burndown/invoicing-domain';

/**
 * One document per journal line: a grant's movements of one kind and month, id =
 * `<walletId>/<grant>/<kind>/<month booked>/<month it happened>` (grant ids are a wallet's own).
 */
export const REVENUE_LINES = 'revenue_lines';
/**
 * Per wallet, id = the wallet id: the revision of the last wallet message applied, and what
 * recognition keeps of each paid grant (grant ids are a wallet's own). One document, so a batch
 * writes its wallet once however many grants it moved.
 */
export const REVENUE_WALLETS = 'revenue_wallets';

export interface WalletRevenue {
  readonly appliedThrough: bigint;
  readonly grants: ReadonlyMap<string, GrantRevenue>;
  readonly overage: OverageBooked;
}

export const walletDocument = ({ appliedThrough, grants, overage }: WalletRevenue): JsonObject => ({
  appliedThrough: appliedThrough.toString(),
  ...overageDocumentFields(overage),
  grants: Object.fromEntries(
    [...grants].map(([grantId, grant]) => [
      grantId,
      { purchasedIn: grant.purchasedIn, takenExact: grant.takenExact.toString() },
    ]),
  ),
});

export function walletOfDocument(document: JsonObject): WalletRevenue {
  const unreadable = () =>
    new PermanentFailure(`${REVENUE_WALLETS}: unreadable document ${JSON.stringify(document)}`);
  const { appliedThrough, grants } = document;
  if (typeof appliedThrough !== 'string' || !/^\d+$/.test(appliedThrough)) throw unreadable();
  if (typeof grants !== 'object' || grants === null || Array.isArray(grants)) throw unreadable();
  const byId = new Map<string, GrantRevenue>();
  for (const [grantId, grant] of Object.entries(grants)) {
    const { purchasedIn, takenExact } = (grant ?? {}) as JsonObject;
    if (!isAccountingMonth(purchasedIn) || typeof takenExact !== 'string') throw unreadable();
    byId.set(grantId, { purchasedIn, takenExact: BigInt(takenExact) });
  }
  return {
    appliedThrough: BigInt(appliedThrough),
    grants: byId,
    overage: overageOfDocument(document),
  };
}

export const lineDocument = (line: RevenueLine): JsonObject => ({
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
  items: line.items,
});

export function lineOfDocument(id: string, document: JsonObject): RevenueLine {
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
    items: count(document['items'], id),
  };
}

function count(value: unknown, id: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new Error(`${REVENUE_LINES}/${id}: items is not a count`);
  return value;
}
