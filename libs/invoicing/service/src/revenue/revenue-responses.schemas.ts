import {
  amountSchema,
  arrayOf,
  integerSchema,
  namedSchema,
  nullable,
  objectSchema,
  stringSchema,
  type SchemaObject,
} from '@burndown/http';

// The bodies the revenue reports answer (see revenue-reports.ts), in the OpenAPI document.

/** An accounting month, YYYY-MM in UTC. */
const monthSchema: SchemaObject = {
  type: 'string',
  pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$',
  example: '2026-11',
};
const countSchema: SchemaObject = { ...integerSchema, minimum: 0 };

/** One customer's revenue in one currency and month, in minor units. */
export const REVENUE_MONTH = namedSchema(
  'RevenueMonth',
  objectSchema({
    currency: stringSchema,
    month: monthSchema,
    openingDeferred: amountSchema,
    purchased: amountSchema,
    recognised: amountSchema,
    breakage: amountSchema,
    refunded: amountSchema,
    closingDeferred: amountSchema,
    lateItems: {
      ...countSchema,
      description: 'Movements booked here that happened in a month already closed',
    },
  }),
);

/** The overage settled at the end of the periods that ended in one month. */
export const REVENUE_OVERAGE_MONTH = namedSchema(
  'RevenueOverageMonth',
  objectSchema({
    currency: stringSchema,
    month: monthSchema,
    invoicedCredits: { ...amountSchema, description: 'Micro-credits' },
    invoiced: { ...amountSchema, description: 'Minor units' },
    writtenOffCredits: { ...amountSchema, description: 'Micro-credits' },
    periods: countSchema,
  }),
);

/** GET /v1/revenue/customers/{customerId}. */
export const CUSTOMER_REVENUE = namedSchema(
  'CustomerRevenue',
  objectSchema({
    customerId: stringSchema,
    closedThrough: nullable({
      ...monthSchema,
      description: 'Every month through this one is closed',
    }),
    months: arrayOf(REVENUE_MONTH),
    overage: arrayOf(REVENUE_OVERAGE_MONTH),
  }),
);

/** GET /v1/revenue/customers/{customerId}/waterfall. */
export const REVENUE_WATERFALL = namedSchema(
  'RevenueWaterfall',
  objectSchema({
    customerId: stringSchema,
    through: monthSchema,
    rows: arrayOf(
      objectSchema({
        currency: stringSchema,
        purchasedIn: monthSchema,
        purchased: amountSchema,
        deferredAtEndOf: arrayOf(objectSchema({ month: monthSchema, deferred: amountSchema })),
      }),
    ),
  }),
);

/** GET /v1/revenue/periods. */
export const REVENUE_PERIODS = namedSchema(
  'RevenuePeriods',
  objectSchema({
    closedThrough: nullable({
      ...monthSchema,
      description: 'Every month through this one is closed; null: none is',
    }),
  }),
);

/** POST /v1/revenue/periods/close. */
export const REVENUE_PERIOD_CLOSED = namedSchema(
  'RevenuePeriodClosed',
  objectSchema({
    closedThrough: { ...monthSchema, description: 'Every month through this one is closed' },
  }),
);

/** GET /v1/revenue/journal: RFC 4180 CSV, a header row, then a row per debit or credit. */
export const JOURNAL_CSV = {
  mediaType: 'text/csv',
  schema: {
    type: 'string',
    pattern: '^month,line_id,customer_id,currency,kind,account,debit,credit,late,items\\r\\n',
    description:
      'Columns month, line_id, customer_id, currency, kind, account, debit, credit (minor units), late, items; CRLF line ends',
  },
} as const;
