import { namedSchema, objectSchema } from '@burndown/http';
import { INVOICE_STATUSES } from '../invoices/invoice-responses.schemas';

// The body Stripe's webhook answers (see StripeWebhookController), in the OpenAPI document.

/** InvoiceRefused's codes. */
const REFUSAL_CODES = [
  'invoice-exists',
  'no-invoice',
  'not-draft',
  'no-lines',
  'not-payable',
  'amount-mismatch',
  'paid-otherwise',
  'payment-requested',
  'invalid-line',
];

/** What became of a Stripe event Stripe need not send again. */
export const STRIPE_WEBHOOK_RECEIPT = namedSchema(
  'StripeWebhookReceipt',
  objectSchema({
    received: { type: 'boolean', enum: [true] },
    outcome: {
      type: 'string',
      description:
        "`ignored` (not an invoice payment), `unknown-invoice`, the invoice's status once the payment is recorded (`paid`), or `refused: <code>` when the invoice refused the payment",
      pattern: `^(ignored|unknown-invoice|${INVOICE_STATUSES.join('|')}|refused: (${REFUSAL_CODES.join('|')}))$`,
      example: 'paid',
    },
  }),
);
