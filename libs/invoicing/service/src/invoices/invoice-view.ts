import { formatInvoiceNumber, totalsOf, type InvoiceState } from '@burndown/invoicing-domain';

/** An invoice as JSON: minor units and micro-credits as decimal strings. */
export function invoiceView(invoiceId: string, state: InvoiceState) {
  if (state.status === 'none') return undefined;
  const totals = totalsOf(state.lines);
  return {
    invoiceId,
    number: state.number === null ? null : formatInvoiceNumber(state.number),
    status: state.status,
    customerId: state.customerId,
    currency: state.currency,
    source: state.source,
    taxRate:
      state.taxRate === null
        ? null
        : { ...state.taxRate, ratePpm: state.taxRate.ratePpm.toString() },
    lines: state.lines.map((line) => ({
      lineId: line.lineId,
      description: line.description,
      quantity: line.quantity.toString(),
      unitPrice: line.unitPrice.toString(),
      credits: line.credits.toString(),
      net: line.net.toString(),
      tax: line.tax.toString(),
      total: line.total.toString(),
    })),
    net: totals.net.toString(),
    tax: totals.tax.toString(),
    total: totals.total.toString(),
    paymentId: state.paymentId,
    /** The provider asked to collect it (Stripe: the PaymentIntent); null: paid by hand. */
    paymentRequest: state.paymentRequest,
  };
}
