import { Inject, Injectable } from '@nestjs/common';
import {
  CLOCK,
  EVENT_STORE,
  READ_STORE,
  type Clock,
  type EventStore,
  type JsonValue,
  type ReadStore,
  type RecordedEvent,
} from '@burndown/ports';
import { CheckpointedSubscriber, type Handled } from '@burndown/runtime';
import { InvoiceRefused } from '@burndown/invoicing-domain';
import { invoiceDocumentWrite } from '../invoices/invoice-document';
import { INVOICE_STREAM_PREFIX } from '../invoices/invoice-streams';
import { Invoices } from '../invoices/invoices';
import {
  PAYMENT_PROVIDER,
  PaymentRequestRefused,
  collectionOf,
  type PaymentProvider,
} from './payment-provider';

export const PAYMENT_REQUESTS = 'invoicing.payment-requests';
/** Per invoice the provider was asked to collect, id = the invoice id: the payment, or the refusal. */
export const INVOICE_PAYMENT_REQUESTS = 'invoice_payment_requests';

/**
 * Invoice finalized → the payment provider asked to collect its total, once: the provider's id
 * for the payment is recorded on the invoice (RecordPaymentRequest), where the provider's webhook
 * later finds the invoice it pays. No dual write: finalizing only appends, and this walk of the
 * invoice streams asks the provider afterwards; a walk repeated after a crash asks again with the
 * same idempotency key and gets the same payment. An invoice paid, voided or already asked by the
 * time the walk reaches it is left alone; a provider's refusal is kept (and shown on the invoice),
 * an outage retries the walk. Without a provider (no Stripe key) nothing runs: payments are
 * recorded by hand.
 */
@Injectable()
export class PaymentRequests extends CheckpointedSubscriber {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider | null,
    private readonly invoices: Invoices,
  ) {
    super(store, readStore, PAYMENT_REQUESTS, INVOICE_STREAM_PREFIX);
  }

  override async onApplicationBootstrap(): Promise<void> {
    if (this.provider !== null) await super.onApplicationBootstrap();
  }

  protected async handleRecorded(recorded: RecordedEvent): Promise<Handled | undefined> {
    const provider = this.provider;
    if (provider === null) return undefined;
    if (recorded.type === 'InvoiceFinalized') return this.request(provider, recorded);
    if (recorded.type === 'InvoiceVoided' || recorded.type === 'InvoicePaid')
      return this.withdraw(provider, recorded);
    return undefined;
  }

  private async request(
    provider: PaymentProvider,
    recorded: RecordedEvent,
  ): Promise<Handled | undefined> {
    const invoiceId = recorded.streamName.slice(INVOICE_STREAM_PREFIX.length);
    const invoice = await this.invoices.get(invoiceId);
    if (invoice.status === 'none' || invoice.paymentRequest !== null) return undefined;
    const collection = collectionOf(invoiceId, invoice);
    if (collection === undefined) return undefined;
    let paymentId: string;
    try {
      ({ paymentId } = await provider.requestPayment(collection));
    } catch (error) {
      if (!(error instanceof PaymentRequestRefused)) throw error;
      this.logger.warn(
        `${provider.name} refused to collect invoice ${invoiceId}: ${error.message}`,
      );
      return {
        writes: [
          invoiceDocumentWrite(INVOICE_PAYMENT_REQUESTS, recorded, invoiceId, {
            status: 'refused',
            provider: provider.name,
            detail: error.message,
          }),
        ],
      };
    }
    try {
      await this.invoices.execute(invoiceId, {
        type: 'RecordPaymentRequest',
        commandId: `payment-request:${invoiceId}`,
        at: this.clock.now(),
        provider: provider.name,
        paymentId,
      });
    } catch (error) {
      // Paid by hand or voided while the provider was asked: the invoice keeps what happened to
      // it (a payment the provider reports later is refused as `paid-otherwise`, and logged), and
      // the walk goes on at once instead of failing the event to find it settled on the retry.
      if (!(error instanceof InvoiceRefused)) throw error;
      this.logger.warn(
        `invoice ${invoiceId} was settled while ${provider.name} was asked (${paymentId}): ${error.message}`,
      );
      return undefined;
    }
    return {
      writes: [
        invoiceDocumentWrite(INVOICE_PAYMENT_REQUESTS, recorded, invoiceId, {
          status: 'requested',
          provider: provider.name,
          paymentId,
        }),
      ],
    };
  }

  /**
   * Voided, or paid some other way (by hand): the payment asked of the provider is withdrawn, so
   * the payer cannot pay the invoice a second time. One the payer already made cannot be, and is
   * noted on the invoice's document (refund it at the provider).
   */
  private async withdraw(
    provider: PaymentProvider,
    recorded: RecordedEvent,
  ): Promise<Handled | undefined> {
    const invoiceId = recorded.streamName.slice(INVOICE_STREAM_PREFIX.length);
    const invoice = await this.invoices.get(invoiceId);
    if (invoice.status === 'none') return undefined;
    const request = invoice.paymentRequest;
    if (request === null || request.provider !== provider.name) return undefined;
    if (invoice.status === 'paid' && invoice.paymentId === request.paymentId) return undefined;
    const write = (document: { [key: string]: JsonValue }) => ({
      writes: [invoiceDocumentWrite(INVOICE_PAYMENT_REQUESTS, recorded, invoiceId, document)],
    });
    try {
      await provider.cancelPayment(request.paymentId);
    } catch (error) {
      if (!(error instanceof PaymentRequestRefused)) throw error;
      this.logger.warn(
        `invoice ${invoiceId} is ${invoice.status}, and ${provider.name} could not withdraw ${request.paymentId}: ${error.message}`,
      );
      return write({
        status: 'not-withdrawn',
        provider: provider.name,
        paymentId: request.paymentId,
        detail: error.message,
      });
    }
    return write({ status: 'withdrawn', provider: provider.name, paymentId: request.paymentId });
  }
}
