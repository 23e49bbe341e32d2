import { ProblemException } from '@burndown/http';
import { InvoiceRefused } from '@burndown/invoicing-domain';

/** An invoice refusal as problem+json naming the field: 404 for no invoice, else 409. */
export async function asInvoiceProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvoiceRefused)
      throw new ProblemException({
        status: error.code === 'no-invoice' ? 404 : error.code === 'invalid-line' ? 400 : 409,
        type: error.code,
        title: error.message,
        detail: error.message,
        errors: [{ field: error.field, detail: error.message }],
      });
    throw error;
  }
}
