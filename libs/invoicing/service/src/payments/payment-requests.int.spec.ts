import { EmbeddedDatabase, SqliteEventStore, SqliteReadStore } from '@burndown/embedded';
import { FakeStripe, eventually } from '@burndown/testing';
import type { InvoiceLineInput } from '@burndown/invoicing-domain';
import { Invoices } from '../invoices/invoices';
import { INVOICE_PAYMENT_REQUESTS, PaymentRequests } from './payment-requests';
import type { PaymentProvider } from './payment-provider';
import { StripePayments } from './stripe-payments';

const at = new Date('2027-02-01T09:00:00Z');
const line = (unitPrice: bigint): InvoiceLineInput => ({
  lineId: '1',
  description: 'Boost pack',
  quantity: 1n,
  unitPrice,
  credits: 2_000_000_000n,
});

describe('payment requests: each finalized invoice asked of the provider once', () => {
  let database: EmbeddedDatabase;
  let store: SqliteEventStore;
  let readStore: SqliteReadStore;
  let stripe: FakeStripe;
  let invoices: Invoices;

  beforeEach(async () => {
    database = await EmbeddedDatabase.open();
    store = await SqliteEventStore.create(database);
    readStore = await SqliteReadStore.create(database);
    stripe = await FakeStripe.start({ refuseCurrency: 'xts' });
    invoices = new Invoices(store);
  });
  afterEach(async () => {
    await stripe.close();
    await database.close();
  });

  const walk = async (
    provider: PaymentProvider = new StripePayments('sk_test_walk', stripe.url),
  ) => {
    const requests = new PaymentRequests(store, readStore, { now: () => at }, provider, invoices);
    await requests.onApplicationBootstrap();
    return requests;
  };
  const issue = async (invoiceId: string, currency: string, unitPrice: bigint, finalize = true) => {
    await invoices.execute(invoiceId, {
      type: 'DraftInvoice',
      commandId: `draft:${invoiceId}`,
      at,
      customerId: 'acme',
      currency,
      source: { type: 'credit-pack', packId: 'boost' },
      taxRate: null,
      lines: [line(unitPrice)],
    });
    if (finalize) await invoices.finalize(invoiceId, `finalize:${invoiceId}`, at);
  };

  it('asks for each total once, across restarts, and records the payment on the invoice', async () => {
    await issue('inv-a', 'USD', 1900n);
    await issue('inv-draft', 'USD', 500n, false);
    const first = await walk();
    await issue('inv-b', 'EUR', 990n);
    await eventually(async () =>
      expect(await invoices.get('inv-b')).toMatchObject({
        paymentRequest: { provider: 'stripe', paymentId: stripe.intentsFor('inv-b')[0]?.id },
      }),
    );
    await eventually(async () =>
      expect(await readStore.get(INVOICE_PAYMENT_REQUESTS, 'inv-b')).toMatchObject({
        document: { status: 'requested' },
      }),
    );
    await first.onModuleDestroy();

    // A second process walks everything again from its checkpoint: nothing is asked twice.
    const second = await walk();
    await issue('inv-c', 'USD', 100n);
    await eventually(async () =>
      expect(await invoices.get('inv-c')).toMatchObject({
        paymentRequest: { provider: 'stripe' },
      }),
    );
    await second.onModuleDestroy();
    expect(await invoices.get('inv-a')).toMatchObject({
      paymentRequest: { paymentId: stripe.intentsFor('inv-a')[0]?.id },
    });
    expect(stripe.intentsFor('inv-a')).toEqual([
      expect.objectContaining({ amount: 1900, currency: 'usd' }),
    ]);
    expect(stripe.intentsFor('inv-b')).toEqual([
      expect.objectContaining({ amount: 990, currency: 'eur' }),
    ]);
    expect(stripe.intentsFor('inv-c')).toHaveLength(1);
    expect(stripe.intentsFor('inv-draft')).toEqual([]);
  });

  it('keeps a refusal and goes on; waits out an outage; leaves paid and voided invoices alone', async () => {
    await issue('inv-refused', 'XTS', 1900n);
    await issue('inv-paid', 'USD', 700n);
    await invoices.execute('inv-paid', {
      type: 'RecordInvoicePayment',
      commandId: 'paid',
      at,
      paymentId: 'wire-1',
      amount: 700n,
      provider: 'manual',
    });
    await issue('inv-void', 'USD', 700n);
    await invoices.execute('inv-void', {
      type: 'VoidInvoice',
      commandId: 'void',
      at,
      reason: 'duplicate',
    });
    stripe.failNext = 3;
    await issue('inv-after-outage', 'USD', 300n);
    const requests = await walk();
    try {
      await eventually(
        async () =>
          expect(stripe.intentsFor('inv-after-outage')).toEqual([
            expect.objectContaining({ amount: 300 }),
          ]),
        15_000,
      );
      await eventually(async () =>
        expect(await readStore.get(INVOICE_PAYMENT_REQUESTS, 'inv-refused')).toMatchObject({
          document: { status: 'refused', detail: expect.stringContaining('Invalid currency') },
        }),
      );
      expect(await invoices.get('inv-refused')).toMatchObject({ paymentRequest: null });
      expect(stripe.intentsFor('inv-paid')).toEqual([]);
      expect(stripe.intentsFor('inv-void')).toEqual([]);
    } finally {
      await requests.onModuleDestroy();
    }
  });

  it('moves on when the invoice was paid by hand while the provider was asked', async () => {
    const asked: string[] = [];
    // An operator records a wire transfer for inv-wired while the provider creates its payment.
    const racing: PaymentProvider = {
      name: 'stripe',
      requestPayment: async ({ invoiceId, amount }) => {
        asked.push(invoiceId);
        if (invoiceId === 'inv-wired')
          await invoices.execute(invoiceId, {
            type: 'RecordInvoicePayment',
            commandId: 'wire',
            at,
            paymentId: 'wire-7',
            amount,
            provider: 'manual',
          });
        return { paymentId: `pi_${invoiceId}` };
      },
      paymentStatus: () => Promise.reject(new Error('not asked in this test')),
      cancelPayment: () => Promise.resolve(),
    };
    await issue('inv-wired', 'USD', 500n);
    await issue('inv-next', 'USD', 600n);
    const requests = await walk(racing);
    try {
      await eventually(async () =>
        expect(await invoices.get('inv-next')).toMatchObject({
          paymentRequest: { paymentId: 'pi_inv-next' },
        }),
      );
      expect(asked).toEqual(['inv-wired', 'inv-next']);
      expect(await invoices.get('inv-wired')).toMatchObject({
        status: 'paid',
        paymentId: 'wire-7',
        paymentRequest: null,
      });
    } finally {
      await requests.onModuleDestroy();
    }
  });

  it('withdraws the payment asked for when the invoice is voided or paid by hand, and says so when it cannot', async () => {
    await issue('inv-voided', 'USD', 100n);
    await issue('inv-wire', 'USD', 200n);
    await issue('inv-paid-twice', 'USD', 300n);
    const requests = await walk();
    try {
      const paymentOf = async (invoiceId: string) =>
        eventually(async () => {
          const invoice = await invoices.get(invoiceId);
          expect(invoice).toMatchObject({ paymentRequest: { provider: 'stripe' } });
          return invoice.status === 'none' ? '' : (invoice.paymentRequest?.paymentId ?? '');
        });
      const [voided, wired, paidTwice] = await Promise.all(
        ['inv-voided', 'inv-wire', 'inv-paid-twice'].map(paymentOf),
      );
      await invoices.execute('inv-voided', {
        type: 'VoidInvoice',
        commandId: 'v',
        at,
        reason: 'wrong customer',
      });
      await invoices.execute('inv-wire', {
        type: 'RecordInvoicePayment',
        commandId: 'w',
        at,
        paymentId: 'wire-1',
        amount: 200n,
        provider: 'manual',
      });
      // The payer paid at Stripe too, before the operator's wire was recorded.
      stripe.succeed(paidTwice ?? '');
      await invoices.execute('inv-paid-twice', {
        type: 'RecordInvoicePayment',
        commandId: 'w2',
        at,
        paymentId: 'wire-2',
        amount: 300n,
        provider: 'manual',
      });
      await eventually(async () => {
        expect(stripe.intents.get(voided ?? '')?.status).toBe('canceled');
        expect(stripe.intents.get(wired ?? '')?.status).toBe('canceled');
        expect(await readStore.get(INVOICE_PAYMENT_REQUESTS, 'inv-paid-twice')).toMatchObject({
          document: {
            status: 'not-withdrawn',
            paymentId: paidTwice,
            detail: expect.stringContaining('succeeded'),
          },
        });
      });
      expect(await readStore.get(INVOICE_PAYMENT_REQUESTS, 'inv-voided')).toMatchObject({
        document: { status: 'withdrawn', paymentId: voided },
      });
    } finally {
      await requests.onModuleDestroy();
    }
  });
});
