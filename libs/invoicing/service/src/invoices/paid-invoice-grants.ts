import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  MESSAGE_BUS,
  READ_STORE,
  type EventStore,
  type JsonValue,
  type MessageBus,
  type ReadStore,
  type RecordedEvent,
} from '@burndown/ports';
import { CheckpointedSubscriber, foldRecorded, type Handled } from '@burndown/runtime';
import {
  divideRounded,
  invoiceDecider,
  invoiceEventCodec,
  type InvoiceLine,
} from '@burndown/invoicing-domain';
import { askWallet } from '../ask-wallet';
import { invoiceDocumentWrite } from './invoice-document';
import { INVOICE_STREAM_PREFIX } from './invoice-streams';

export const PAID_INVOICE_GRANTS = 'invoicing.paid-invoice-grants';
/** Per invoice whose payment granted credits, id = the invoice id: what was granted, or why not. */
export const INVOICE_GRANTS = 'invoice_grants';

/** A cost basis is in millionths of the minor unit per credit; credits are micro-credits. */
const MICROS_PER_CREDIT_PER_MINOR_UNIT_PER_MICRO_CREDIT = 1_000_000_000_000n;

/**
 * Invoice paid → its credits granted, once: each line that carries credits becomes a purchased
 * grant on the customer's wallet (grant id `<invoiceId>:<lineId>`) whose cost basis is the line's
 * net price ÷ its credits, so revenue recognition defers exactly what was paid, tax excluded. The
 * grant is a wallet command over request/reply with a command id of its own, so a walk repeated
 * after a crash, or a payment reported twice, grants nothing twice. A refusal (no such wallet) is
 * recorded on the invoice and the walk goes on; a bus that does not answer retries the walk.
 */
@Injectable()
export class PaidInvoiceGrants extends CheckpointedSubscriber {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {
    super(store, readStore, PAID_INVOICE_GRANTS, INVOICE_STREAM_PREFIX);
  }

  protected async handleRecorded(recorded: RecordedEvent): Promise<Handled | undefined> {
    if (recorded.type !== 'InvoicePaid') return undefined;
    const invoiceId = recorded.streamName.slice(INVOICE_STREAM_PREFIX.length);
    const history = (await this.store.readStream(recorded.streamName)).filter(
      (event) => event.revision <= recorded.revision,
    );
    const invoice = foldRecorded(history, invoiceDecider, invoiceEventCodec);
    if (invoice.status === 'none') return undefined;
    const granted: JsonValue[] = [];
    for (const line of invoice.lines.filter((candidate) => candidate.credits > 0n)) {
      const grantId = `${invoiceId}:${line.lineId}`;
      const microsPerCredit = costBasisOf(line);
      const reply = await askWallet(this.bus, invoice.customerId, {
        type: 'GrantCredits',
        commandId: `invoice-paid:${grantId}`,
        grantId,
        kind: 'purchased',
        amount: line.credits.toString(),
        costBasis: { currency: invoice.currency, microsPerCredit: microsPerCredit.toString() },
        source: `invoice:${invoiceId}`,
      });
      if (!reply.ok)
        return {
          writes: [
            invoiceDocumentWrite(INVOICE_GRANTS, recorded, invoiceId, {
              status: 'refused',
              code: reply.code ?? 'refused',
              detail: reply.detail ?? '',
              granted,
            }),
          ],
        };
      granted.push({
        lineId: line.lineId,
        grantId,
        credits: line.credits.toString(),
        microsPerCredit: microsPerCredit.toString(),
      });
    }
    return {
      writes: [
        invoiceDocumentWrite(INVOICE_GRANTS, recorded, invoiceId, { status: 'granted', granted }),
      ],
    };
  }
}

/** The line's net price per credit, in millionths of the minor unit, rounded half away from zero. */
const costBasisOf = (line: InvoiceLine): bigint =>
  divideRounded(line.net * MICROS_PER_CREDIT_PER_MINOR_UNIT_PER_MICRO_CREDIT, line.credits);
