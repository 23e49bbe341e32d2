import {
  amountSchema,
  booleanSchema,
  namedSchema,
  objectSchema,
  stringSchema,
} from '@burndown/http';

// The body EntitlementsController answers, from this service's balance view.

/** GET /v1/entitlements/{customerId}: may the customer spend `requested` micro-credits now? */
export const ENTITLEMENT = namedSchema(
  'Entitlement',
  objectSchema({
    customerId: stringSchema,
    walletId: stringSchema,
    balance: amountSchema,
    available: amountSchema,
    requested: amountSchema,
    allowed: booleanSchema,
    asOfRevision: {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'The wallet revision the balance view reflects, as a string',
    },
  }),
);
