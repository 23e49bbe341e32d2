import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import {
  IdempotencyKey,
  RequireScopes,
  Responds,
  notFound,
  serviceUnavailable,
  ChecksCustomer,
  CurrentPrincipal,
  reaches,
  type ApiPrincipal,
} from '@burndown/http';
import { CLOCK, READ_STORE, type Clock, type ReadStore } from '@burndown/ports';
import type {
  InvoiceCommand,
  InvoiceState,
  UnstampedInvoiceCommand,
} from '@burndown/invoicing-domain';
import { asInvoiceProblem } from './invoice-problem';
import { INVOICE, INVOICE_DETAIL, INVOICE_PAYMENT } from './invoice-responses.schemas';
import { invoiceView } from './invoice-view';
import { Invoices } from './invoices';
import { INVOICE_GRANTS } from './paid-invoice-grants';
import { INVOICE_PAYMENT_REQUESTS } from '../payments/payment-requests';
import {
  PAYMENT_PROVIDER,
  PaymentRequestRefused,
  type PaymentProvider,
} from '../payments/payment-provider';
import {
  AddLinesDto,
  DraftInvoiceDto,
  InvoiceIdParam,
  ReasonDto,
  RecordPaymentDto,
  toLines,
  toTaxRate,
} from './invoices.dto';

/**
 * Invoices: drafts, finalized with the installation's next number (immutable from then on),
 * paid once (manual payments here), voided or written off.
 */
@ApiTags('invoices')
@Controller('v1/invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: Invoices,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider | null,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Draft an invoice' })
  @Responds(201, INVOICE, 'The draft')
  draft(@Body() body: DraftInvoiceDto, @IdempotencyKey() idempotencyKey: string | undefined) {
    return this.run(body.invoiceId ?? `inv_${randomUUID()}`, idempotencyKey, {
      type: 'DraftInvoice',
      customerId: body.customerId,
      currency: body.currency,
      source: { type: 'manual' },
      taxRate: toTaxRate(body.taxRate),
      lines: toLines(body.lines),
    });
  }

  /** The invoice, and once paid, the credits its payment granted (or why the wallet refused them). */
  @Get(':invoiceId')
  @RequireScopes('read')
  @ChecksCustomer()
  @ApiOperation({ summary: 'Get an invoice, with the credits its payment granted' })
  @Responds(200, INVOICE_DETAIL)
  async get(
    @Param() { invoiceId }: InvoiceIdParam,
    @CurrentPrincipal() principal: ApiPrincipal | undefined,
  ) {
    const view = invoiceView(invoiceId, await this.invoices.get(invoiceId));
    if (view === undefined || !reaches(principal, view.customerId))
      throw notFound(`invoice ${invoiceId} does not exist`, 'invoiceId');
    const [grants, request] = await Promise.all([
      this.readStore.get(INVOICE_GRANTS, invoiceId),
      this.readStore.get(INVOICE_PAYMENT_REQUESTS, invoiceId),
    ]);
    return {
      ...view,
      creditsGranted: grants?.document ?? null,
      // What the walk of payment requests last did for it: requested, refused, withdrawn, not-withdrawn.
      paymentRequestOutcome: request?.document ?? null,
    };
  }

  /**
   * The payment its provider was asked for, as the provider sees it now, with the client secret
   * the payer's browser confirms it with (Stripe.js); fetched each time, never stored.
   */
  @Get(':invoiceId/payment')
  @RequireScopes('read')
  @ChecksCustomer()
  @ApiOperation({ summary: "Get the invoice's payment at its provider, with the client secret" })
  @Responds(200, INVOICE_PAYMENT)
  async payment(
    @Param() { invoiceId }: InvoiceIdParam,
    @CurrentPrincipal() principal: ApiPrincipal | undefined,
  ) {
    const invoice = await this.invoices.get(invoiceId);
    if (invoice.status === 'none' || !reaches(principal, invoice.customerId))
      throw notFound(`invoice ${invoiceId} does not exist`, 'invoiceId');
    const request = invoice.paymentRequest;
    if (request === null || this.provider === null || request.provider !== this.provider.name)
      throw notFound(`no payment provider was asked to collect invoice ${invoiceId}`, 'invoiceId');
    try {
      const payment = await this.provider.paymentStatus(request.paymentId);
      return { ...payment, amount: payment.amount.toString(), invoiceStatus: invoice.status };
    } catch (error) {
      if (error instanceof PaymentRequestRefused) throw notFound(error.message, 'invoiceId');
      throw serviceUnavailable(`${request.provider} did not answer: ${String(error)}`, 5);
    }
  }

  @Post(':invoiceId/lines')
  @HttpCode(201)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Add lines to a draft invoice' })
  @Responds(201, INVOICE, 'The draft with its new lines')
  async addLines(
    @Param() { invoiceId }: InvoiceIdParam,
    @Body() body: AddLinesDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    const current = await this.invoices.get(invoiceId);
    const offset = current.status === 'none' ? 0 : current.lines.length;
    return this.run(invoiceId, idempotencyKey, {
      type: 'AddInvoiceLines',
      lines: toLines(body.lines, offset),
    });
  }

  /** Gives the invoice the installation's next number; from then on it never changes. */
  @Post(':invoiceId/finalization')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Finalize an invoice, giving it its number' })
  @Responds(200, INVOICE, 'The finalized invoice')
  finalize(
    @Param() { invoiceId }: InvoiceIdParam,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return asInvoiceProblem(async () =>
      invoiceView(
        invoiceId,
        await this.invoices.finalize(invoiceId, idempotencyKey ?? randomUUID(), this.clock.now()),
      ),
    );
  }

  @Post(':invoiceId/payments')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({ summary: "Record an invoice's payment by hand" })
  @Responds(200, INVOICE, 'The paid invoice')
  pay(
    @Param() { invoiceId }: InvoiceIdParam,
    @Body() body: RecordPaymentDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.run(invoiceId, idempotencyKey, {
      type: 'RecordInvoicePayment',
      paymentId: body.paymentId,
      amount: BigInt(body.amount),
      provider: body.provider ?? 'manual',
    });
  }

  @Post(':invoiceId/void')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Void an invoice' })
  @Responds(200, INVOICE, 'The voided invoice')
  void(
    @Param() { invoiceId }: InvoiceIdParam,
    @Body() body: ReasonDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.run(invoiceId, idempotencyKey, { type: 'VoidInvoice', reason: body.reason });
  }

  @Post(':invoiceId/uncollectible')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Write an invoice off as uncollectible' })
  @Responds(200, INVOICE, 'The invoice written off')
  writeOff(
    @Param() { invoiceId }: InvoiceIdParam,
    @Body() body: ReasonDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.run(invoiceId, idempotencyKey, {
      type: 'MarkInvoiceUncollectible',
      reason: body.reason,
    });
  }

  private run(
    invoiceId: string,
    idempotencyKey: string | undefined,
    command: UnstampedInvoiceCommand,
  ) {
    return asInvoiceProblem(async () => {
      const state: InvoiceState = await this.invoices.execute(invoiceId, {
        ...command,
        commandId: idempotencyKey ?? randomUUID(),
        at: this.clock.now(),
      } as InvoiceCommand);
      return invoiceView(invoiceId, state);
    });
  }
}
