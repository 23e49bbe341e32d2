import { Inject, Injectable } from '@nestjs/common';
import {
  MESSAGE_BUS,
  PermanentFailure,
  consumerConfigs,
  type BusMessage,
  type JsonObject,
  type MessageBus,
  type Subscription,
} from '@burndown/ports';
import { BusSubscription } from '@burndown/runtime';
import { creditsText } from '@burndown/money';
import { formatInvoiceNumber, roundToMinorUnits } from '@burndown/invoicing-domain';
import { Invoices } from '../invoices/invoices';
import { amount, costBasisAt, objectAt, text, time } from '../wallet-message-fields';

/** The credit note of a refund of credits an invoice sold: named after both. */
export const creditNoteId = (invoiceId: string, refundId: string): string =>
  `${invoiceId}.cn-${refundId}`;

/**
 * Unused paid credits refunded (`wallet.purchase-refunded`) → a credit note for the money returned,
 * when the grant came from a paid invoice (`<invoiceId>:<lineId>`, see PaidInvoiceGrants): a
 * finalized document in the invoices' numbering, source `credit-note`, whose one line is the
 * credits × the grant's cost basis (the line's net price per credit), with the invoice's tax rate
 * added on top, so the tax charged on them is credited too. A refund of credits no invoice sold
 * (granted by hand) has nothing to credit. Named after the invoice and the refund, so a message
 * delivered twice issues one note.
 */
@Injectable()
export class RefundCreditNotes extends BusSubscription {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly invoices: Invoices,
  ) {
    super();
  }

  protected subscribe(): Promise<Subscription> {
    return this.bus.consume(consumerConfigs.invoicingCreditNotes, (message) =>
      this.onRefund(message),
    );
  }

  private async onRefund(message: BusMessage): Promise<void> {
    const payload = message.payload as JsonObject;
    if (payload['type'] !== 'PurchaseRefunded') return;
    const data = objectAt(payload['data'], 'data');
    const grantId = text(data, 'grantId');
    const refundId = text(data, 'refundId');
    const credits = amount(data, 'amount');
    const costBasis = costBasisAt(data['costBasis'], 'data.costBasis');
    // Only a paid grant can be refunded: a refund without its cost basis is malformed.
    if (costBasis === undefined)
      throw new PermanentFailure('purchase-refunded message: data.costBasis missing');
    const separator = grantId.lastIndexOf(':');
    if (separator <= 0) return;
    const invoiceId = grantId.slice(0, separator);
    const lineId = grantId.slice(separator + 1);
    const invoice = await this.invoices.get(invoiceId);
    if (invoice.status === 'none' || invoice.number === null) return;
    await this.invoices.issue(creditNoteId(invoiceId, refundId), {
      at: time(data, 'at'),
      customerId: invoice.customerId,
      currency: invoice.currency,
      source: { type: 'credit-note', invoiceId, refundId },
      taxRate: invoice.taxRate === null ? null : { ...invoice.taxRate, inclusive: false },
      lines: [
        {
          lineId: 'refund',
          description: `Refund of ${creditsText(credits)} unused credits of ${formatInvoiceNumber(invoice.number)} (${lineId}): ${text(data, 'reason')}`,
          quantity: 1n,
          unitPrice: roundToMinorUnits(credits * costBasis.microsPerCredit),
          credits: 0n,
        },
      ],
    });
  }
}
