import { FakeStripe } from '@burndown/testing';
import { PaymentRequestRefused, type PaymentCollection } from './payment-provider';
import { StripePayments } from './stripe-payments';

const collection = (invoiceId: string, overrides: Partial<PaymentCollection> = {}) => ({
  invoiceId,
  invoiceNumber: 'INV-000007',
  customerId: 'acme',
  currency: 'EUR',
  amount: 2280n,
  ...overrides,
});

// The official client against a local stand-in for Stripe's API: what crosses the wire is checked.
describe('StripePayments, at the Stripe API boundary', () => {
  let stripe: FakeStripe;
  let payments: StripePayments;

  beforeAll(async () => {
    stripe = await FakeStripe.start({ refuseCurrency: 'xts' });
    payments = new StripePayments('sk_test_boundary', stripe.url);
  });
  afterAll(() => stripe.close());

  it('asks for a PaymentIntent of the invoice total, naming the invoice, once per invoice', async () => {
    const first = await payments.requestPayment(collection('inv-1'));
    const again = await payments.requestPayment(collection('inv-1'));
    expect(again.paymentId).toBe(first.paymentId);
    expect(stripe.intentsFor('inv-1')).toEqual([
      expect.objectContaining({
        id: first.paymentId,
        amount: 2280,
        currency: 'eur',
        description: 'Invoice INV-000007',
        metadata: { invoiceId: 'inv-1', invoiceNumber: 'INV-000007', customerId: 'acme' },
      }),
    ]);
    const sent = stripe.requests.filter((request) => request.path === '/v1/payment_intents');
    expect(sent.map((request) => request.idempotencyKey)).toEqual([
      'burndown-invoice-inv-1',
      'burndown-invoice-inv-1',
    ]);
    expect(sent[0]?.authorization).toBe('Bearer sk_test_boundary');
    expect(sent[0]?.form.get('automatic_payment_methods[enabled]')).toBe('true');
  });

  it("reads the payment's status and the secret the payer's browser confirms it with", async () => {
    const { paymentId } = await payments.requestPayment(collection('inv-2', { amount: 990n }));
    expect(await payments.paymentStatus(paymentId)).toEqual({
      provider: 'stripe',
      paymentId,
      status: 'requires_payment_method',
      amount: 990n,
      currency: 'EUR',
      clientSecret: expect.stringMatching(new RegExp(`^${paymentId}_secret_`)),
    });
    await expect(payments.paymentStatus('pi_unknown')).rejects.toThrow(PaymentRequestRefused);
  });

  it('tells a refusal a retry cannot fix from an outage a retry may', async () => {
    await expect(payments.requestPayment(collection('inv-3', { currency: 'XTS' }))).rejects.toThrow(
      PaymentRequestRefused,
    );
    await expect(
      payments.requestPayment(collection('inv-4', { amount: 2n ** 60n })),
    ).rejects.toThrow(PaymentRequestRefused);
    stripe.failNext = 10;
    const outage = await payments
      .requestPayment(collection('inv-5'))
      .catch((error: unknown) => error);
    stripe.failNext = 0;
    expect(outage).toBeInstanceOf(Error);
    expect(outage).not.toBeInstanceOf(PaymentRequestRefused);
    expect(stripe.intentsFor('inv-5')).toEqual([]);
  });

  it('withdraws a payment not made yet, and refuses to withdraw one the payer made', async () => {
    const open = await payments.requestPayment(collection('inv-6'));
    await payments.cancelPayment(open.paymentId);
    expect(stripe.intents.get(open.paymentId)?.status).toBe('canceled');
    const made = await payments.requestPayment(collection('inv-7'));
    stripe.succeed(made.paymentId);
    await expect(payments.cancelPayment(made.paymentId)).rejects.toThrow(PaymentRequestRefused);
    expect(stripe.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/v1/payment_intents/${made.paymentId}/cancel`,
      idempotencyKey: `burndown-cancel-${made.paymentId}`,
    });
  });
});
