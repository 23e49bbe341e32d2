import Stripe from 'stripe';
import { ApiClient, FakeStripe, eventually } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

const SECRET = 'whsec_e2e_only';

/** A Stripe event as Stripe would send it: the JSON, and its signature with the endpoint's secret. */
function stripeEvent(id: string, type: string, object: Record<string, unknown>, secret = SECRET) {
  const payload = JSON.stringify({ id, object: 'event', type, data: { object } });
  return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
}

const succeeded = (eventId: string, invoiceId: string, amount: number) =>
  stripeEvent(eventId, 'payment_intent.succeeded', {
    id: `pi_${invoiceId}`,
    object: 'payment_intent',
    amount,
    amount_received: amount,
    currency: 'usd',
    metadata: { invoiceId },
  });

// Payments asked of Stripe (PaymentIntents, against a local stand-in for its API) and reported by
// Stripe's webhook, checked with the official library, on every topology.
describe(`Burndown (${e2eTopology()}): Stripe payments`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;
  let stripe: FakeStripe;
  const send = async ({ payload, signature }: { payload: string; signature?: string }) => {
    const response = await fetch(`${burndown.url}/v1/payments/stripe/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature === undefined ? {} : { 'stripe-signature': signature }),
      },
      body: payload,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    stripe = await FakeStripe.start();
    burndown = await startBurndownUnderTest({
      BURNDOWN_LOG_LEVEL: 'error',
      BURNDOWN_STRIPE_WEBHOOK_SECRET: SECRET,
      BURNDOWN_STRIPE_SECRET_KEY: 'sk_test_e2e_only',
      BURNDOWN_STRIPE_API_URL: stripe.url,
    });
    api = new ApiClient(burndown.url, burndown.developmentKey);
    expect((await api.post('/v1/customers', { id: 'striper', name: 'Striper' })).status).toBe(201);
    for (const invoiceId of ['inv-stripe', 'inv-short']) {
      await api.post('/v1/invoices', {
        invoiceId,
        customerId: 'striper',
        currency: 'USD',
        lines: [{ description: 'Boost pack', unitPrice: '1900', credits: '2000000000' }],
      });
      await api.post(`/v1/invoices/${invoiceId}/finalization`, {});
    }
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
    await stripe?.close();
  });

  it('asks Stripe for a PaymentIntent of each finalized invoice once; its success pays the invoice and grants the credits', async () => {
    await api.post('/v1/customers', { id: 'intender', name: 'Intender' });
    const drafted = await api.post('/v1/invoices', {
      invoiceId: 'inv-intent',
      customerId: 'intender',
      currency: 'EUR',
      taxRate: { name: 'VAT 20 %', ratePpm: '200000', inclusive: false },
      lines: [{ description: 'Boost pack', unitPrice: '1000', credits: '3000000000' }],
    });
    expect(drafted.status).toBe(201);
    expect((await api.get('/v1/invoices/inv-intent/payment')).status).toBe(404);
    await api.post('/v1/invoices/inv-intent/finalization', {});

    const requested = await eventually(async () => {
      const { body } = await api.get('/v1/invoices/inv-intent');
      expect(body).toMatchObject({ paymentRequest: { provider: 'stripe' } });
      return (body as { paymentRequest: { paymentId: string } }).paymentRequest.paymentId;
    }, 15_000);
    await eventually(async () =>
      expect((await api.get('/v1/invoices/inv-intent')).body).toMatchObject({
        paymentRequestOutcome: { status: 'requested', provider: 'stripe', paymentId: requested },
      }),
    );
    expect(stripe.intentsFor('inv-intent')).toEqual([
      expect.objectContaining({ id: requested, amount: 1200, currency: 'eur' }),
    ]);
    const payment = await api.get('/v1/invoices/inv-intent/payment');
    expect(payment).toMatchObject({
      status: 200,
      body: {
        provider: 'stripe',
        paymentId: requested,
        status: 'requires_payment_method',
        amount: '1200',
        currency: 'EUR',
        clientSecret: expect.stringContaining('_secret_'),
        invoiceStatus: 'finalized',
      },
    });

    // The payer confirms it with Stripe; Stripe reports it to the webhook.
    const paid = stripeEvent('evt_intent', 'payment_intent.succeeded', {
      id: requested,
      object: 'payment_intent',
      amount: 1200,
      amount_received: 1200,
      currency: 'eur',
      metadata: { invoiceId: 'inv-intent' },
    });
    expect((await send(paid)).body).toEqual({ received: true, outcome: 'paid' });
    expect((await api.get('/v1/invoices/inv-intent')).body).toMatchObject({
      status: 'paid',
      paymentId: requested,
    });
    await eventually(async () => {
      expect((await api.get('/v1/wallets/intender')).body).toMatchObject({
        balance: '3000000000',
      });
    });
    // Paid, it is never asked for again.
    expect(stripe.intentsFor('inv-intent')).toHaveLength(1);
  });

  it('records a signed succeeded PaymentIntent as the payment once, however often Stripe sends it', async () => {
    const event = succeeded('evt_1', 'inv-stripe', 1900);
    expect(await send(event)).toEqual({ status: 200, body: { received: true, outcome: 'paid' } });
    expect(await send(event)).toEqual({ status: 200, body: { received: true, outcome: 'paid' } });
    // Another event for the same payment intent: still one payment.
    expect((await send(succeeded('evt_2', 'inv-stripe', 1900))).body).toMatchObject({
      outcome: 'paid',
    });
    expect((await api.get('/v1/invoices/inv-stripe')).body).toMatchObject({
      status: 'paid',
      paymentId: 'pi_inv-stripe',
    });
    await eventually(async () => {
      expect((await api.get('/v1/wallets/striper')).body).toMatchObject({ balance: '2000000000' });
    });
  });

  it('refuses what is not signed with the secret, and answers what it will not act on with 2xx', async () => {
    const forged = succeeded('evt_3', 'inv-short', 1900);
    const unsigned = await send({ payload: forged.payload });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body).toMatchObject({ errors: [{ field: 'stripe-signature' }] });
    const wrongSecret = stripeEvent(
      'evt_4',
      'payment_intent.succeeded',
      { id: 'pi_x', amount_received: 1, currency: 'usd', metadata: { invoiceId: 'inv-short' } },
      'whsec_other',
    );
    expect((await send(wrongSecret)).status).toBe(400);
    // Signed, but tampered with after signing.
    expect(
      (await send({ payload: forged.payload.replace('1900', '19'), signature: forged.signature }))
        .status,
    ).toBe(400);

    expect(
      (await send(stripeEvent('evt_5', 'customer.created', { id: 'cus_1' }))).body,
    ).toMatchObject({ outcome: 'ignored' });
    expect((await send(succeeded('evt_6', 'inv-short', 100))).body).toMatchObject({
      outcome: 'refused: amount-mismatch',
    });
    expect((await send(succeeded('evt_7', 'inv-none', 100))).body).toMatchObject({
      outcome: 'unknown-invoice',
    });
    expect((await api.get('/v1/invoices/inv-short')).body).toMatchObject({ status: 'finalized' });
  });
});
