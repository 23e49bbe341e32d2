import { Controller, HttpCode, Inject, Logger, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import Stripe from 'stripe';
import { ProblemException, Public, Responds, notFound, rawBodyOf } from '@burndown/http';
import { CLOCK, type Clock } from '@burndown/ports';
import { BURNDOWN_CONFIG, type BurndownConfig } from '@burndown/runtime';
import { InvoiceRefused } from '@burndown/invoicing-domain';
import { Invoices } from '../invoices/invoices';
import { paymentReportOf } from './stripe-payment-reports';
import { STRIPE_WEBHOOK_RECEIPT } from './stripe-webhook-responses.schemas';

const SIGNATURE_HEADER = 'stripe-signature';

/**
 * Stripe's webhook: an event is believed only when its signature, over the bytes sent, checks
 * out with the endpoint's secret (the official library's check, which also refuses events older
 * than five minutes, so a captured one cannot be replayed). A payment is recorded once however
 * often Stripe sends it (the event id is the command id, the PaymentIntent the payment). The
 * answer is 2xx for everything Stripe should not send again, a refused payment included (it is
 * logged; sending it again would not change it), and 4xx/5xx only for what a retry may fix.
 */
@ApiTags('payments')
@Controller('v1/payments/stripe')
export class StripeWebhookController {
  private readonly logger = new Logger(StripeWebhookController.name);

  constructor(
    private readonly invoices: Invoices,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BURNDOWN_CONFIG) private readonly config: Pick<BurndownConfig, 'stripeWebhookSecret'>,
  ) {}

  @Post('webhook')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: "Receive Stripe's signed webhook events" })
  @Responds(200, STRIPE_WEBHOOK_RECEIPT, 'Received: Stripe need not send it again')
  async receive(@Req() request: { headers: Record<string, string | string[] | undefined> }) {
    const secret = this.config.stripeWebhookSecret;
    if (secret === undefined)
      throw notFound('no Stripe webhook is configured (BURNDOWN_STRIPE_WEBHOOK_SECRET)');
    const signature = request.headers[SIGNATURE_HEADER];
    const body = rawBodyOf(request);
    let event: Stripe.Event;
    try {
      if (typeof signature !== 'string' || body === undefined) throw new Error('unsigned');
      event = Stripe.webhooks.constructEvent(body, signature, secret);
    } catch {
      throw new ProblemException({
        status: 400,
        type: 'bad-signature',
        title: 'The Stripe signature does not check out',
        detail: `${SIGNATURE_HEADER} is missing, stale, or not the endpoint's signature of this body`,
        errors: [{ field: SIGNATURE_HEADER, detail: 'not a valid signature of the body' }],
      });
    }
    const report = paymentReportOf(event);
    if (report === undefined) return { received: true, outcome: 'ignored' };
    const invoice = await this.invoices.get(report.invoiceId);
    if (invoice.status === 'none' || invoice.currency !== report.currency) {
      this.logger.warn(
        `Stripe ${event.id}: payment ${report.paymentId} names invoice ${report.invoiceId} in ${report.currency}, which does not exist in that currency`,
      );
      return { received: true, outcome: 'unknown-invoice' };
    }
    try {
      const paid = await this.invoices.execute(report.invoiceId, {
        type: 'RecordInvoicePayment',
        commandId: `stripe:${event.id}`,
        at: this.clock.now(),
        paymentId: report.paymentId,
        amount: report.amount,
        provider: 'stripe',
      });
      return { received: true, outcome: paid.status };
    } catch (error) {
      if (!(error instanceof InvoiceRefused)) throw error;
      this.logger.warn(
        `Stripe ${event.id}: invoice ${report.invoiceId} refused payment ${report.paymentId}: ${error.message}`,
      );
      return { received: true, outcome: `refused: ${error.code}` };
    }
  }
}
