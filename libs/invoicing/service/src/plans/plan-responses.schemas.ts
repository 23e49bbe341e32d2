import {
  amountSchema,
  arrayOf,
  booleanSchema,
  enumSchema,
  integerSchema,
  namedSchema,
  nullable,
  objectSchema,
  refTo,
  stringSchema,
  timestampSchema,
} from '@burndown/http';
import { currencySchema } from '../invoices/invoice-responses.schemas';

// The bodies plans and subscriptions answer (see plan-views.ts), in the OpenAPI document.

const intervalSchema = enumSchema(['month', 'year']);
const versionSchema = { type: 'integer', minimum: 1 } as const;

/** What a customer on the plan may use under one feature key. */
export const PLAN_FEATURE = namedSchema('PlanFeature', {
  description: '`type` tells which fields follow',
  oneOf: [
    objectSchema({ type: enumSchema(['boolean']), enabled: booleanSchema }),
    objectSchema({
      type: enumSchema(['metered']),
      limit: { ...amountSchema, description: 'Per billing period' },
      enforcement: enumSchema(['soft', 'hard']),
    }),
    objectSchema({
      type: enumSchema(['config']),
      value: { oneOf: [stringSchema, { type: 'number' }, booleanSchema] },
    }),
  ],
});

/** A plan version as published (planDefinitionJson): money in minor units, credits in micro-credits. */
export const PLAN_DEFINITION = namedSchema(
  'PlanDefinition',
  objectSchema({
    planId: stringSchema,
    name: stringSchema,
    currency: currencySchema,
    interval: intervalSchema,
    baseFee: amountSchema,
    allowance: nullable(
      objectSchema({
        credits: amountSchema,
        rollover: {
          oneOf: [
            objectSchema({ mode: enumSchema(['none', 'all']) }),
            objectSchema({ mode: enumSchema(['capped']), cap: amountSchema }),
          ],
        },
      }),
    ),
    rateCardId: stringSchema,
    features: { type: 'object', additionalProperties: refTo(PLAN_FEATURE) },
    packs: arrayOf(
      objectSchema({
        packId: stringSchema,
        credits: amountSchema,
        price: amountSchema,
        currency: currencySchema,
      }),
    ),
    overage: nullable(
      objectSchema({
        microsPerCredit: amountSchema,
        uncovered: enumSchema(['invoice', 'write-off']),
      }),
    ),
    commitment: nullable(objectSchema({ minimum: amountSchema })),
  }),
);

/** GET /v1/plans/{planId}: every version of the plan, in the order published. */
export const PLAN = namedSchema(
  'Plan',
  objectSchema({
    planId: stringSchema,
    versions: arrayOf(
      objectSchema({
        version: versionSchema,
        effectiveFrom: timestampSchema,
        publishedAt: timestampSchema,
        definition: PLAN_DEFINITION,
      }),
    ),
  }),
);

/** POST /v1/plans/{planId}/versions: the version published (or published already, on a retry). */
export const PUBLISHED_PLAN_VERSION = namedSchema(
  'PublishedPlanVersion',
  objectSchema({ planId: stringSchema, version: versionSchema, effectiveFrom: timestampSchema }),
);

/** Where a subscription stands now (subscriptionView). */
export const SUBSCRIPTION = namedSchema(
  'Subscription',
  objectSchema({
    subscriptionId: stringSchema,
    customerId: stringSchema,
    status: enumSchema(['active', 'canceling', 'ended']),
    interval: intervalSchema,
    anchor: {
      ...timestampSchema,
      description: 'Periods start on its day of month and time of day',
    },
    plan: nullable({
      ...objectSchema({ planId: stringSchema, version: versionSchema }),
      description: 'The plan in force now; null once ended',
    }),
    currentPeriod: nullable({
      ...objectSchema({
        index: { ...integerSchema, minimum: 0 },
        start: timestampSchema,
        end: timestampSchema,
      }),
      description: 'Start inclusive, end exclusive; null once ended',
    }),
    scheduledChange: nullable({
      ...objectSchema({
        planId: stringSchema,
        version: versionSchema,
        effectiveAt: timestampSchema,
      }),
      description: 'A plan change taking effect at the next period, if any',
    }),
    endsAt: nullable(timestampSchema),
  }),
);
