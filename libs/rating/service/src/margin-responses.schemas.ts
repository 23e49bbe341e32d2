import {
  amountSchema,
  arrayOf,
  integerSchema,
  namedSchema,
  objectSchema,
  stringSchema,
} from '@burndown/http';

// The body MarginsController answers (see MarginTotals.rows).

/** One group in one currency: money of different currencies is never added up. */
export const MARGIN_ROW = namedSchema('MarginRow', {
  ...objectSchema({
    currency: stringSchema,
    events: integerSchema,
    credits: amountSchema,
    revenueMicros: amountSchema,
    costMicros: amountSchema,
    marginMicros: amountSchema,
    eventsWithoutCost: {
      type: 'integer',
      description: 'Events whose provider cost is unknown: not in costMicros',
    },
  }),
  description:
    'The group itself is under the groupBy name, e.g. "customer": "acme" or "model": "large" ("(none)" when absent)',
  additionalProperties: { type: 'string' },
});

/** GET /v1/margins. */
export const MARGIN_REPORT = namedSchema(
  'MarginReport',
  objectSchema({
    groupBy: stringSchema,
    unit: objectSchema({ credits: stringSchema, money: stringSchema }),
    data: arrayOf(MARGIN_ROW),
  }),
);
