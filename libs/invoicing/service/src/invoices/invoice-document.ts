import type { JsonValue, ReadModelWrite, RecordedEvent } from '@burndown/ports';

/**
 * A read-model document about one invoice, written by a walk of the invoice streams: versioned by
 * the invoice event that decided it, so a walk repeated from its checkpoint rewrites nothing.
 */
export const invoiceDocumentWrite = (
  collection: string,
  recorded: RecordedEvent,
  invoiceId: string,
  document: { [key: string]: JsonValue },
): ReadModelWrite => ({ collection, id: invoiceId, version: recorded.revision + 1n, document });
