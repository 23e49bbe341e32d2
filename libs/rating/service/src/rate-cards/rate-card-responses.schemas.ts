import {
  amountSchema,
  arrayOf,
  enumSchema,
  integerSchema,
  namedSchema,
  nullable,
  objectSchema,
  stringSchema,
  timestampSchema,
} from '@burndown/http';

// The bodies RateCardsController and CustomerRateCardController answer.

/**
 * A rate card as it was saved (the draft) or published: the JSON given, which readRateCard
 * validated. Meters, rules and provider prices are as written, so only their outline is stated.
 */
export const RATE_CARD_DEFINITION = namedSchema(
  'RateCardDefinition',
  objectSchema(
    {
      cardId: stringSchema,
      name: stringSchema,
      creditPrice: objectSchema({
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        microsPerCredit: amountSchema,
      }),
      meters: arrayOf(objectSchema({ meterId: stringSchema, eventType: stringSchema })),
      rules: arrayOf(
        objectSchema({ ruleId: stringSchema, meterId: stringSchema, price: { type: 'object' } }),
      ),
    },
    {
      period: enumSchema(['month', 'day']),
      providerPrices: arrayOf({ type: 'object' }),
    },
  ),
);

/** POST /v1/rate-cards/validation: the card is valid (an invalid one is a 400 problem). */
export const RATE_CARD_VALIDATION = namedSchema(
  'RateCardValidation',
  objectSchema({
    valid: { type: 'boolean', enum: [true] },
    cardId: stringSchema,
    meters: { type: 'integer', description: 'How many meters the card defines' },
    rules: { type: 'integer', description: 'How many burn rules the card defines' },
  }),
);

/** PUT /v1/rate-cards/{cardId}/draft. */
export const RATE_CARD_DRAFT = namedSchema(
  'RateCardDraft',
  objectSchema({ cardId: stringSchema, draft: RATE_CARD_DEFINITION }),
);

/** POST /v1/rate-cards/{cardId}/publication: the version the draft became. */
export const RATE_CARD_PUBLICATION = namedSchema(
  'RateCardPublication',
  objectSchema({ cardId: stringSchema, version: integerSchema, effectiveFrom: timestampSchema }),
);

/** One customer's usage in the window, as published versions rated it and as the draft would. */
export const RATE_CARD_CUSTOMER_PREVIEW = namedSchema(
  'RateCardCustomerPreview',
  objectSchema({
    customerId: stringSchema,
    events: integerSchema,
    publishedCredits: amountSchema,
    draftCredits: amountSchema,
    creditDelta: amountSchema,
    publishedRevenueMicros: amountSchema,
    draftRevenueMicros: amountSchema,
    revenueDeltaMicros: amountSchema,
    refused: { type: 'integer', description: 'Events the draft could not rate' },
    refusals: arrayOf(objectSchema({ usageEventId: stringSchema, reason: stringSchema })),
  }),
);

/** POST /v1/rate-cards/{cardId}/preview. */
export const RATE_CARD_PREVIEW = namedSchema(
  'RateCardPreview',
  objectSchema({
    cardId: stringSchema,
    from: nullable({
      type: 'string',
      description: 'The window start as sent (ISO 8601); null when open',
    }),
    to: nullable({
      type: 'string',
      description: 'The window end as sent (ISO 8601); null when open',
    }),
    customers: arrayOf(RATE_CARD_CUSTOMER_PREVIEW),
  }),
);

/** GET /v1/rate-cards/{cardId}: the draft, if any, and every published version. */
export const RATE_CARD = namedSchema(
  'RateCard',
  objectSchema({
    cardId: stringSchema,
    // Inline: a nullable $ref ({ nullable, allOf }) has no type, which OpenAPI 3.0 validators refuse.
    draft: nullable(RATE_CARD_DEFINITION.schema),
    versions: arrayOf(
      objectSchema({
        version: integerSchema,
        effectiveFrom: timestampSchema,
        publishedAt: timestampSchema,
      }),
    ),
  }),
);

/** PUT /v1/customers/{id}/rate-card. */
export const CUSTOMER_RATE_CARD = namedSchema(
  'CustomerRateCard',
  objectSchema({
    customerId: stringSchema,
    cardId: stringSchema,
    overrides: { type: 'integer', description: "How many override rules the customer's card has" },
  }),
);
