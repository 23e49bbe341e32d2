/** One stream per invoice, and the installation's numbering. */
export const INVOICE_STREAM_PREFIX = 'invoice-';
export const invoiceStream = (invoiceId: string): string => `${INVOICE_STREAM_PREFIX}${invoiceId}`;
// Not under the invoices' prefix: no invoice id can name it.
export const INVOICE_NUMBERS_STREAM = 'invoice_numbers';
