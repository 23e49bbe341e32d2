import { CommandLog } from '@burndown/decider-kit';

/**
 * The installation's invoice numbers: one stream, one event per number, each the one after the
 * last, appended at the expected revision. Two finalizations at once cannot take the same number
 * (the second append fails on the revision and decides again), and no number is skipped: a number
 * exists only as the event that gave it to an invoice. An invoice asking again (a finalization
 * retried after a crash between the number and the invoice's own event) gets no second number:
 * its number is the event of this stream that names it.
 */
export type InvoiceNumberingCommand = {
  readonly type: 'AssignInvoiceNumber';
  readonly at: Date;
  readonly invoiceId: string;
};

export type InvoiceNumberingEvent = {
  readonly type: 'InvoiceNumberAssigned';
  readonly data: { readonly at: Date; readonly invoiceId: string; readonly number: number };
};

export interface InvoiceNumbering {
  readonly last: number;
  /** The invoices numbered within the horizon, by invoice id. */
  readonly numbered: CommandLog;
}

/** How long an invoice's number is known here; finalizing is retried well within it. */
const HORIZON_MS = 35 * 86_400_000;

export const initialInvoiceNumbering = (): InvoiceNumbering => ({
  last: 0,
  numbered: CommandLog.empty(),
});

export function decideInvoiceNumber(
  command: InvoiceNumberingCommand,
  state: InvoiceNumbering,
): readonly InvoiceNumberingEvent[] {
  if (state.numbered.has(command.invoiceId)) return [];
  return [
    {
      type: 'InvoiceNumberAssigned',
      data: { at: command.at, invoiceId: command.invoiceId, number: state.last + 1 },
    },
  ];
}

export function evolveInvoiceNumbering(
  state: InvoiceNumbering,
  event: InvoiceNumberingEvent,
): InvoiceNumbering {
  const { at, invoiceId, number } = event.data;
  return { last: number, numbered: state.numbered.record(invoiceId, at.getTime(), HORIZON_MS) };
}

export const invoiceNumberingDecider = {
  decide: decideInvoiceNumber,
  evolve: evolveInvoiceNumbering,
  initialState: initialInvoiceNumbering,
} as const;

/** How a number is printed: a prefix and at least six digits (INV-000042). */
export const formatInvoiceNumber = (number: number, prefix = 'INV-'): string =>
  `${prefix}${String(number).padStart(6, '0')}`;
