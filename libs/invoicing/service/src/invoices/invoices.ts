import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@burndown/ports';
import { StreamWriter, foldRecorded } from '@burndown/runtime';
import {
  InvoiceRefused,
  invoiceDecider,
  invoiceEventCodec,
  invoiceNumberingCodec,
  invoiceNumberingDecider,
  type InvoiceCommand,
  type InvoiceEvent,
  type InvoiceNumbering,
  type InvoiceNumberingCommand,
  type InvoiceNumberingEvent,
  type InvoiceState,
} from '@burndown/invoicing-domain';
import { INVOICE_NUMBERS_STREAM, invoiceStream } from './invoice-streams';

/** How far back a retried finalization looks for the number it was given. */
const NUMBER_LOOKBACK = 10_000;

/**
 * Invoices on their streams, and finalization with the installation's gapless numbering: the
 * number is taken first, on the one numbering stream (concurrent finalizations in this process
 * go in one append; another process's append makes ours decide again on the new tail), then
 * written on the invoice. A finalization retried after a crash between the two finds the number
 * it was given instead of taking another.
 */
@Injectable()
export class Invoices {
  private readonly invoices: StreamWriter<InvoiceCommand, InvoiceEvent, InvoiceState>;
  private readonly numbering: StreamWriter<
    InvoiceNumberingCommand,
    InvoiceNumberingEvent,
    InvoiceNumbering
  >;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.invoices = new StreamWriter(store, invoiceDecider, invoiceEventCodec, {
      cacheSize: 1_000,
    });
    this.numbering = new StreamWriter(store, invoiceNumberingDecider, invoiceNumberingCodec, {
      cacheSize: 1,
    });
  }

  async execute(invoiceId: string, command: InvoiceCommand): Promise<InvoiceState> {
    const { state } = await this.invoices.execute(invoiceStream(invoiceId), command, {
      correlationId: command.commandId,
    });
    return state;
  }

  async get(invoiceId: string): Promise<InvoiceState> {
    return foldRecorded(
      await this.store.readStream(invoiceStream(invoiceId)),
      invoiceDecider,
      invoiceEventCodec,
    );
  }

  /**
   * The invoice, drafted from `draft` if it does not exist yet and finalized if it is a draft:
   * a billing step that failed half-way gets the same invoice when it runs again.
   */
  async issue(
    invoiceId: string,
    draft: Omit<Extract<InvoiceCommand, { type: 'DraftInvoice' }>, 'type' | 'commandId'>,
  ): Promise<InvoiceState> {
    let invoice = await this.get(invoiceId);
    if (invoice.status === 'none')
      invoice = await this.execute(invoiceId, {
        type: 'DraftInvoice',
        commandId: `draft:${invoiceId}`,
        ...draft,
      });
    if (invoice.status === 'draft')
      invoice = await this.finalize(invoiceId, `finalize:${invoiceId}`, draft.at);
    return invoice;
  }

  async finalize(invoiceId: string, commandId: string, at: Date): Promise<InvoiceState> {
    const invoice = await this.get(invoiceId);
    if (invoice.status === 'none')
      throw new InvoiceRefused('no-invoice', 'there is no such invoice', 'invoiceId');
    if (invoice.status !== 'draft') {
      if (invoice.handled.has(commandId)) return invoice;
      throw new InvoiceRefused('not-draft', `the invoice is ${invoice.status}`, 'invoiceId');
    }
    if (invoice.lines.length === 0)
      throw new InvoiceRefused('no-lines', 'an invoice without lines cannot be finalized', 'lines');
    const number = await this.numberOf(invoiceId, at);
    return this.execute(invoiceId, { type: 'FinalizeInvoice', commandId, at, number });
  }

  private async numberOf(invoiceId: string, at: Date): Promise<number> {
    const { events } = await this.numbering.execute(
      INVOICE_NUMBERS_STREAM,
      { type: 'AssignInvoiceNumber', at, invoiceId },
      { correlationId: invoiceId },
    );
    const assigned = events[0];
    if (assigned !== undefined) return assigned.data.number;
    // Numbered before: the event that names the invoice, near the end of the stream.
    const recent = await this.store.readStream(INVOICE_NUMBERS_STREAM, {
      direction: 'backwards',
      maxCount: NUMBER_LOOKBACK,
    });
    for (const recorded of recent) {
      const event = invoiceNumberingCodec.decode(recorded.type, recorded.data);
      if (event.data.invoiceId === invoiceId) return event.data.number;
    }
    throw new Error(
      `invoice ${invoiceId} was numbered, but not in the last ${NUMBER_LOOKBACK} numbers`,
    );
  }
}
