import { CommandLog, inBatch } from '@burndown/decider-kit';
import {
  priceLine,
  totalsOf,
  type InvoiceLine,
  type InvoiceLineInput,
  type InvoiceTotals,
  type TaxRate,
} from './invoice-totals';

/** What an invoice bills for; paying a `credit-pack` or `top-up` invoice grants its lines' credits. */
export type InvoiceSource =
  | { readonly type: 'credit-pack'; readonly packId: string }
  | { readonly type: 'top-up' }
  | {
      readonly type: 'subscription-period';
      readonly subscriptionId: string;
      readonly period: number;
    }
  /** The overage a subscription's customer booked in one period, billed at its end. */
  | {
      readonly type: 'subscription-overage';
      readonly subscriptionId: string;
      readonly period: number;
    }
  /** What a period billed short of its plan's commitment, charged at the period's end. */
  | {
      readonly type: 'subscription-true-up';
      readonly subscriptionId: string;
      readonly period: number;
    }
  /** Money returned for unused credits an invoice sold (a refund of its grant). */
  | { readonly type: 'credit-note'; readonly invoiceId: string; readonly refundId: string }
  | { readonly type: 'manual' };

export type InvoiceCommand =
  | {
      readonly type: 'DraftInvoice';
      readonly commandId: string;
      readonly at: Date;
      readonly customerId: string;
      readonly currency: string;
      readonly source: InvoiceSource;
      readonly taxRate: TaxRate | null;
      readonly lines: readonly InvoiceLineInput[];
    }
  | {
      readonly type: 'AddInvoiceLines';
      readonly commandId: string;
      readonly at: Date;
      readonly lines: readonly InvoiceLineInput[];
    }
  /** `number` comes from the installation's numbering (see invoice-numbering.ts). */
  | {
      readonly type: 'FinalizeInvoice';
      readonly commandId: string;
      readonly at: Date;
      readonly number: number;
    }
  /**
   * The payment provider was asked to collect the invoice (a Stripe PaymentIntent): `paymentId` is
   * what it will name the payment by when it reports it.
   */
  | {
      readonly type: 'RecordPaymentRequest';
      readonly commandId: string;
      readonly at: Date;
      readonly provider: string;
      readonly paymentId: string;
    }
  | {
      readonly type: 'RecordInvoicePayment';
      readonly commandId: string;
      readonly at: Date;
      readonly paymentId: string;
      readonly amount: bigint;
      readonly provider: string;
    }
  | {
      readonly type: 'VoidInvoice';
      readonly commandId: string;
      readonly at: Date;
      readonly reason: string;
    }
  | {
      readonly type: 'MarkInvoiceUncollectible';
      readonly commandId: string;
      readonly at: Date;
      readonly reason: string;
    };

/** Each variant without the id and time the service stamps on it. */
type Unstamped<Command> = Command extends unknown ? Omit<Command, 'commandId' | 'at'> : never;
/** An invoice command before the service stamps its id and time. */
export type UnstampedInvoiceCommand = Unstamped<InvoiceCommand>;

interface Base {
  readonly commandId: string;
  readonly at: Date;
}

export type InvoiceEvent =
  | {
      readonly type: 'InvoiceDrafted';
      readonly data: Base & {
        readonly customerId: string;
        readonly currency: string;
        readonly source: InvoiceSource;
        readonly taxRate: TaxRate | null;
        readonly lines: readonly InvoiceLine[];
      };
    }
  | {
      readonly type: 'InvoiceLinesAdded';
      readonly data: Base & { readonly lines: readonly InvoiceLine[] };
    }
  | {
      readonly type: 'InvoiceFinalized';
      readonly data: Base & { readonly number: number; readonly totals: InvoiceTotals };
    }
  | {
      readonly type: 'InvoicePaymentRequested';
      readonly data: Base & { readonly provider: string; readonly paymentId: string };
    }
  | {
      readonly type: 'InvoicePaid';
      readonly data: Base & {
        readonly paymentId: string;
        readonly amount: bigint;
        readonly provider: string;
      };
    }
  | { readonly type: 'InvoiceVoided'; readonly data: Base & { readonly reason: string } }
  | {
      readonly type: 'InvoiceMarkedUncollectible';
      readonly data: Base & { readonly reason: string };
    };

export type InvoiceStatus = 'draft' | 'finalized' | 'paid' | 'void' | 'uncollectible';

export type InvoiceState =
  | { readonly status: 'none'; readonly handled: CommandLog }
  | {
      readonly status: InvoiceStatus;
      readonly customerId: string;
      readonly currency: string;
      readonly source: InvoiceSource;
      readonly taxRate: TaxRate | null;
      readonly lines: readonly InvoiceLine[];
      /** Set when finalized: immutable from then on. */
      readonly number: number | null;
      readonly paymentId: string | null;
      /** The provider asked to collect it, and its name for the payment; null: paid by hand. */
      readonly paymentRequest: PaymentRequest | null;
      readonly handled: CommandLog;
    };

export interface PaymentRequest {
  readonly provider: string;
  readonly paymentId: string;
}

export class InvoiceRefused extends Error {
  override readonly name = 'InvoiceRefused';
  constructor(
    readonly code:
      | 'invoice-exists'
      | 'no-invoice'
      | 'not-draft'
      | 'no-lines'
      | 'not-payable'
      | 'amount-mismatch'
      | 'paid-otherwise'
      | 'payment-requested'
      | 'invalid-line',
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const HORIZON_MS = 35 * 86_400_000;

export const initialInvoiceState = (): InvoiceState => ({
  status: 'none',
  handled: CommandLog.empty(),
});

/**
 * An invoice is a draft until finalized; finalized, its lines and number never change. It is
 * then paid (the whole total, once: the same payment reported again changes nothing, another
 * payment is refused), voided, or written off as uncollectible (and may still be paid after).
 */
export function decideInvoice(
  command: InvoiceCommand,
  state: InvoiceState,
): readonly InvoiceEvent[] {
  if (state.handled.has(command.commandId)) return [];
  const { commandId, at } = command;
  if (command.type === 'DraftInvoice') {
    if (state.status !== 'none')
      throw new InvoiceRefused('invoice-exists', 'the invoice exists already', 'invoiceId');
    return [
      {
        type: 'InvoiceDrafted',
        data: {
          commandId,
          at,
          customerId: command.customerId,
          currency: command.currency,
          source: command.source,
          taxRate: command.taxRate,
          lines: priced(command.lines, command.taxRate, []),
        },
      },
    ];
  }
  if (state.status === 'none')
    throw new InvoiceRefused('no-invoice', 'there is no such invoice', 'invoiceId');
  switch (command.type) {
    case 'AddInvoiceLines':
      if (state.status !== 'draft') throw notDraft(state.status);
      return [
        {
          type: 'InvoiceLinesAdded',
          data: { commandId, at, lines: priced(command.lines, state.taxRate, state.lines) },
        },
      ];
    case 'FinalizeInvoice':
      if (state.status !== 'draft') throw notDraft(state.status);
      if (state.lines.length === 0)
        throw new InvoiceRefused(
          'no-lines',
          'an invoice without lines cannot be finalized',
          'lines',
        );
      return [
        {
          type: 'InvoiceFinalized',
          data: { commandId, at, number: command.number, totals: totalsOf(state.lines) },
        },
      ];
    case 'RecordPaymentRequest': {
      const request = state.paymentRequest;
      if (request !== null) {
        if (request.provider === command.provider && request.paymentId === command.paymentId)
          return [];
        throw new InvoiceRefused(
          'payment-requested',
          `${request.provider} was asked for payment ${request.paymentId} already`,
          'paymentId',
        );
      }
      if (state.status !== 'finalized' && state.status !== 'uncollectible')
        throw new InvoiceRefused(
          'not-payable',
          `a ${state.status} invoice is not collected`,
          'invoiceId',
        );
      return [
        {
          type: 'InvoicePaymentRequested',
          data: { commandId, at, provider: command.provider, paymentId: command.paymentId },
        },
      ];
    }
    case 'RecordInvoicePayment': {
      if (state.status === 'paid') {
        if (state.paymentId === command.paymentId) return [];
        throw new InvoiceRefused(
          'paid-otherwise',
          `the invoice was paid by payment ${state.paymentId}`,
          'paymentId',
        );
      }
      if (state.status !== 'finalized' && state.status !== 'uncollectible')
        throw new InvoiceRefused(
          'not-payable',
          `a ${state.status} invoice cannot be paid`,
          'invoiceId',
        );
      const { total } = totalsOf(state.lines);
      if (command.amount !== total)
        throw new InvoiceRefused(
          'amount-mismatch',
          `the invoice's total is ${total}, the payment ${command.amount}`,
          'amount',
        );
      return [
        {
          type: 'InvoicePaid',
          data: {
            commandId,
            at,
            paymentId: command.paymentId,
            amount: command.amount,
            provider: command.provider,
          },
        },
      ];
    }
    case 'VoidInvoice':
      if (state.status === 'void') return [];
      if (state.status !== 'draft' && state.status !== 'finalized')
        throw new InvoiceRefused(
          'not-payable',
          `a ${state.status} invoice cannot be voided`,
          'invoiceId',
        );
      return [{ type: 'InvoiceVoided', data: { commandId, at, reason: command.reason } }];
    case 'MarkInvoiceUncollectible':
      if (state.status === 'uncollectible') return [];
      if (state.status !== 'finalized')
        throw new InvoiceRefused(
          'not-payable',
          `a ${state.status} invoice cannot be written off`,
          'invoiceId',
        );
      return [
        { type: 'InvoiceMarkedUncollectible', data: { commandId, at, reason: command.reason } },
      ];
  }
}

function notDraft(status: InvoiceStatus): InvoiceRefused {
  return new InvoiceRefused(
    'not-draft',
    `the invoice is ${status}: only a draft changes`,
    'invoiceId',
  );
}

function priced(
  lines: readonly InvoiceLineInput[],
  taxRate: TaxRate | null,
  existing: readonly InvoiceLine[],
): InvoiceLine[] {
  const ids = new Set(existing.map((line) => line.lineId));
  return lines.map((line, index) => {
    const field = (name: string) => `lines[${index}].${name}`;
    if (ids.has(line.lineId))
      throw new InvoiceRefused(
        'invalid-line',
        `line ${line.lineId} is there already`,
        field('lineId'),
      );
    ids.add(line.lineId);
    if (line.quantity < 1n)
      throw new InvoiceRefused('invalid-line', 'a line bills at least one unit', field('quantity'));
    if (line.unitPrice < 0n)
      throw new InvoiceRefused(
        'invalid-line',
        'a price is not negative (refunds are credit notes)',
        field('unitPrice'),
      );
    if (line.credits < 0n)
      throw new InvoiceRefused('invalid-line', 'credits are not negative', field('credits'));
    return priceLine(line, taxRate);
  });
}

export function evolveInvoice(state: InvoiceState, event: InvoiceEvent): InvoiceState {
  const handled = state.handled.record(event.data.commandId, event.data.at.getTime(), HORIZON_MS);
  if (event.type === 'InvoiceDrafted') {
    const { customerId, currency, source, taxRate, lines } = event.data;
    return {
      status: 'draft',
      customerId,
      currency,
      source,
      taxRate,
      lines,
      number: null,
      paymentId: null,
      paymentRequest: null,
      handled,
    };
  }
  if (state.status === 'none') return { ...state, handled };
  switch (event.type) {
    case 'InvoiceLinesAdded':
      return { ...state, lines: [...state.lines, ...event.data.lines], handled };
    case 'InvoiceFinalized':
      return { ...state, status: 'finalized', number: event.data.number, handled };
    case 'InvoicePaymentRequested':
      return {
        ...state,
        paymentRequest: { provider: event.data.provider, paymentId: event.data.paymentId },
        handled,
      };
    case 'InvoicePaid':
      return { ...state, status: 'paid', paymentId: event.data.paymentId, handled };
    case 'InvoiceVoided':
      return { ...state, status: 'void', handled };
    case 'InvoiceMarkedUncollectible':
      return { ...state, status: 'uncollectible', handled };
  }
}

export const invoiceDecider = {
  decide: decideInvoice,
  evolve: evolveInvoice,
  initialState: initialInvoiceState,
  batch: inBatch,
} as const;
