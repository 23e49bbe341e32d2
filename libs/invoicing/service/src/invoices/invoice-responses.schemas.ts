import {
  amountSchema,
  arrayOf,
  booleanSchema,
  enumSchema,
  namedSchema,
  nullable,
  objectSchema,
  refTo,
  stringSchema,
  type SchemaObject,
} from '@burndown/http';

// The bodies the invoices answer (see invoice-view.ts), in the OpenAPI document.

/** InvoiceStatus, every one an invoice can have. */
export const INVOICE_STATUSES = ['draft', 'finalized', 'paid', 'void', 'uncollectible'] as const;

/** Upper-case ISO 4217, as drafts and plans validate it. */
export const currencySchema: SchemaObject = {
  type: 'string',
  pattern: '^[A-Z]{3}$',
  example: 'USD',
};

/** What an invoice bills for (InvoiceSource): paying a credit-pack or top-up invoice grants credits. */
export const INVOICE_SOURCE = namedSchema('InvoiceSource', {
  description: 'What the invoice bills for; `type` tells which fields follow',
  oneOf: [
    objectSchema({ type: enumSchema(['credit-pack']), packId: stringSchema }),
    objectSchema({ type: enumSchema(['top-up', 'manual']) }),
    objectSchema({
      type: enumSchema(['subscription-period', 'subscription-overage', 'subscription-true-up']),
      subscriptionId: stringSchema,
      period: { type: 'integer', minimum: 0, description: 'The billing period, 0 for the first' },
    }),
    objectSchema({
      type: enumSchema(['credit-note']),
      invoiceId: stringSchema,
      refundId: stringSchema,
    }),
  ],
});

export const INVOICE_LINE = namedSchema(
  'InvoiceLine',
  objectSchema({
    lineId: stringSchema,
    description: stringSchema,
    quantity: amountSchema,
    unitPrice: {
      ...amountSchema,
      description: 'Minor units per unit (gross when the tax is inclusive)',
    },
    credits: {
      ...amountSchema,
      description: 'Micro-credits granted when the invoice is paid, else 0',
    },
    net: amountSchema,
    tax: amountSchema,
    total: amountSchema,
  }),
);

/** An invoice (invoiceView): what every invoice command answers. */
export const INVOICE = namedSchema(
  'Invoice',
  objectSchema({
    invoiceId: stringSchema,
    number: nullable({
      type: 'string',
      pattern: '^INV-[0-9]{6,}$',
      description: 'Given when finalized; null on a draft',
      example: 'INV-000042',
    }),
    status: enumSchema(INVOICE_STATUSES),
    customerId: stringSchema,
    currency: currencySchema,
    source: INVOICE_SOURCE,
    taxRate: nullable(
      objectSchema({
        name: stringSchema,
        ratePpm: { ...amountSchema, description: 'Parts per million (20 % = 200000)' },
        inclusive: booleanSchema,
      }),
    ),
    lines: arrayOf(INVOICE_LINE),
    net: amountSchema,
    tax: amountSchema,
    total: amountSchema,
    paymentId: nullable({ type: 'string', description: 'The payment that paid it' }),
    paymentRequest: nullable({
      ...objectSchema({ provider: stringSchema, paymentId: stringSchema }),
      description:
        'The provider asked to collect it (Stripe: the PaymentIntent); null: paid by hand',
    }),
  }),
);

/** GET /v1/invoices/{invoiceId}: the invoice, with what its payment granted and how it was asked. */
export const INVOICE_DETAIL = namedSchema('InvoiceDetail', {
  allOf: [
    refTo(INVOICE),
    objectSchema({
      creditsGranted: nullable({
        ...objectSchema(
          {
            status: enumSchema(['granted', 'refused']),
            granted: arrayOf(
              objectSchema({
                lineId: stringSchema,
                grantId: stringSchema,
                credits: amountSchema,
                microsPerCredit: amountSchema,
              }),
            ),
          },
          { code: stringSchema, detail: stringSchema },
        ),
        description:
          "Once paid: the credits its lines granted, or the wallet's refusal (code, detail) after those granted before it; null until then",
      }),
      paymentRequestOutcome: nullable({
        ...objectSchema(
          {
            status: enumSchema(['requested', 'refused', 'withdrawn', 'not-withdrawn']),
            provider: stringSchema,
          },
          { paymentId: stringSchema, detail: stringSchema },
        ),
        description:
          'What asking the payment provider last did for it; null when it was never asked',
      }),
    }),
  ],
});

/** GET /v1/invoices/{invoiceId}/payment: the provider's payment, as it sees it now. */
export const INVOICE_PAYMENT = namedSchema(
  'InvoicePayment',
  objectSchema({
    provider: stringSchema,
    paymentId: stringSchema,
    status: {
      type: 'string',
      description: "The provider's own word (Stripe: requires_payment_method, succeeded, …)",
    },
    amount: amountSchema,
    currency: stringSchema,
    clientSecret: nullable({
      type: 'string',
      description: "Handed to the payer's browser to confirm the payment (Stripe.js); never stored",
    }),
    invoiceStatus: enumSchema(INVOICE_STATUSES),
  }),
);
