import type Stripe from 'stripe';

/** What a Stripe event says about an invoice's payment, when it says anything. */
export interface StripePaymentReport {
  readonly invoiceId: string;
  readonly paymentId: string;
  /** Minor units of `currency` (Stripe's smallest unit is the currency's minor unit). */
  readonly amount: bigint;
  /** Upper case, as invoices write it. */
  readonly currency: string;
}

/**
 * A succeeded PaymentIntent that names the invoice in its metadata (`invoiceId`, as Burndown
 * sets it when it asks for the payment) is the invoice's payment; every other event is not.
 */
export function paymentReportOf(event: Stripe.Event): StripePaymentReport | undefined {
  if (event.type !== 'payment_intent.succeeded') return undefined;
  const intent = event.data.object;
  const invoiceId = intent.metadata?.['invoiceId'];
  if (typeof invoiceId !== 'string' || invoiceId === '') return undefined;
  return {
    invoiceId,
    paymentId: intent.id,
    amount: BigInt(intent.amount_received),
    currency: intent.currency.toUpperCase(),
  };
}
