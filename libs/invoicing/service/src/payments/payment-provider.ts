import { formatInvoiceNumber, totalsOf, type InvoiceState } from '@burndown/invoicing-domain';

/** The payment provider invoicing collects finalized invoices through; none: paid by hand. */
export const PAYMENT_PROVIDER = 'invoicing.payment-provider';

/** What a provider is asked to collect: an invoice's total, in the currency's minor unit. */
export interface PaymentCollection {
  readonly invoiceId: string;
  /** As printed on the invoice (INV-000042). */
  readonly invoiceNumber: string;
  readonly customerId: string;
  /** Upper case, as invoices write it. */
  readonly currency: string;
  readonly amount: bigint;
}

/** A payment as the provider sees it now, with what the payer needs to pay it. */
export interface PaymentStatus {
  readonly provider: string;
  readonly paymentId: string;
  /** The provider's own word (Stripe: requires_payment_method, processing, succeeded, …). */
  readonly status: string;
  readonly amount: bigint;
  readonly currency: string;
  /** Handed to the payer's browser to confirm the payment; never stored by Burndown. */
  readonly clientSecret: string | null;
}

/**
 * A payment provider (Stripe): asked once per finalized invoice to collect its total, it later
 * reports the payment through its webhook. `manual` is no provider: an operator records payments.
 */
export interface PaymentProvider {
  readonly name: string;
  /**
   * Asks for the invoice's payment and returns the provider's id for it. Asking again for the same
   * invoice returns the same payment, never a second one. Throws PaymentRequestRefused for what a
   * retry cannot fix; anything else is retried.
   */
  requestPayment(collection: PaymentCollection): Promise<{ readonly paymentId: string }>;
  paymentStatus(paymentId: string): Promise<PaymentStatus>;
  /**
   * Withdraws a payment the invoice no longer needs (voided, or paid some other way), so the payer
   * cannot pay it twice. Throws PaymentRequestRefused when it can no longer be withdrawn.
   */
  cancelPayment(paymentId: string): Promise<void>;
}

/** The provider refused the request for a reason a retry does not change (a currency it lacks). */
export class PaymentRequestRefused extends Error {
  override readonly name = 'PaymentRequestRefused';
}

/**
 * What a finalized invoice asks its customer to pay, if anything: credit notes are money owed to
 * the customer, and an invoice for nothing has nothing to collect.
 */
export function collectionOf(
  invoiceId: string,
  invoice: InvoiceState,
): PaymentCollection | undefined {
  if (invoice.status !== 'finalized' || invoice.number === null) return undefined;
  if (invoice.source.type === 'credit-note') return undefined;
  const { total } = totalsOf(invoice.lines);
  if (total <= 0n) return undefined;
  return {
    invoiceId,
    invoiceNumber: formatInvoiceNumber(invoice.number),
    customerId: invoice.customerId,
    currency: invoice.currency,
    amount: total,
  };
}
