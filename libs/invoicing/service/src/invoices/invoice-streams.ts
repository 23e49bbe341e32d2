/** One stream per invoice, and the installation's numbering. */
export const invoiceStream = (invoiceId: string): string => `invoice-${invoiceId}`;
export const INVOICE_NUMBERS_STREAM = 'invoice-numbers';
