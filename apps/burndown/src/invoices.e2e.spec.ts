import { ApiClient, eventually } from '@burndown/testing';
import {
  STARTUP_TIMEOUT_MS,
  e2eTopology,
  startBurndownUnderTest,
  type BurndownUnderTest,
} from '../../../tools/e2e/burndown-under-test';

const boost = {
  description: 'Boost pack, 2,000 credits',
  unitPrice: '1900',
  credits: '2000000000',
};
const vat = { name: 'VAT 20 %', ratePpm: '200000', inclusive: false };

// Invoices through the public API, on every topology.
describe(`Burndown (${e2eTopology()}): invoices`, () => {
  let burndown: BurndownUnderTest;
  let api: ApiClient;

  beforeAll(async () => {
    burndown = await startBurndownUnderTest({ BURNDOWN_LOG_LEVEL: 'warn' });
    api = new ApiClient(burndown.url, burndown.developmentKey);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await burndown?.close();
  });

  it('drafts with tax per line, finalizes invoices raced at once with consecutive numbers, and is paid once', async () => {
    const ids = ['inv-a', 'inv-b', 'inv-c'];
    for (const invoiceId of ids) {
      const drafted = await api.post('/v1/invoices', {
        invoiceId,
        customerId: 'acme',
        currency: 'EUR',
        taxRate: vat,
        lines: [boost],
      });
      expect(drafted.status).toBe(201);
      expect(drafted.body).toMatchObject({
        status: 'draft',
        number: null,
        net: '1900',
        tax: '380',
        total: '2280',
      });
    }
    const added = await api.post('/v1/invoices/inv-a/lines', {
      lines: [{ ...boost, quantity: '2' }],
    });
    expect(added.body).toMatchObject({
      total: String(3 * 2280),
      lines: [{ lineId: 'line-1' }, { lineId: 'line-2' }],
    });

    const finalized = await Promise.all(
      ids.map((id) => api.post(`/v1/invoices/${id}/finalization`, {})),
    );
    expect(finalized.map(({ status }) => status)).toEqual([200, 200, 200]);
    expect(finalized.map(({ body }) => body.number).sort()).toEqual([
      'INV-000001',
      'INV-000002',
      'INV-000003',
    ]);
    expect((await api.post('/v1/invoices/inv-a/lines', { lines: [boost] })).status).toBe(409);

    const short = await api.post('/v1/invoices/inv-b/payments', {
      paymentId: 'pay-1',
      amount: '1900',
    });
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({ errors: [{ field: 'amount' }] });
    const paid = await api.post('/v1/invoices/inv-b/payments', {
      paymentId: 'pay-1',
      amount: '2280',
    });
    expect(paid.body).toMatchObject({ status: 'paid', paymentId: 'pay-1' });
    // Reported twice: one payment. Another payment of a paid invoice is refused.
    expect(
      (await api.post('/v1/invoices/inv-b/payments', { paymentId: 'pay-1', amount: '2280' }))
        .status,
    ).toBe(200);
    expect(
      (await api.post('/v1/invoices/inv-b/payments', { paymentId: 'pay-2', amount: '2280' }))
        .status,
    ).toBe(409);

    expect(
      (await api.post('/v1/invoices/inv-c/uncollectible', { reason: 'card declined' })).body,
    ).toMatchObject({ status: 'uncollectible' });
    expect((await api.get('/v1/invoices/inv-b')).body).toMatchObject({
      number: expect.stringMatching(/^INV-00000[123]$/),
      status: 'paid',
    });
  });

  it('voids a draft, and answers bad input with 400 and unknown invoices with 404, naming the field', async () => {
    await api.post('/v1/invoices', {
      invoiceId: 'inv-void',
      customerId: 'acme',
      currency: 'EUR',
      lines: [boost],
    });
    expect(
      (await api.post('/v1/invoices/inv-void/void', { reason: 'sent twice' })).body,
    ).toMatchObject({ status: 'void', number: null });
    const bad = await api.post('/v1/invoices', {
      customerId: 'acme',
      currency: 'EUR',
      lines: [{ ...boost, unitPrice: '19.00' }],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/unitPrice/);
    expect(
      (await api.post('/v1/invoices', { customerId: 'acme', currency: 'EUR', lines: [] })).status,
    ).toBe(400);
    const missing = await api.post('/v1/invoices/nothing/finalization', {});
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ errors: [{ field: 'invoiceId' }] });
    expect((await api.get('/v1/invoices/nothing')).status).toBe(404);
  });

  it("grants a paid invoice's credits once, at its net price per credit, however often the payment is reported", async () => {
    expect((await api.post('/v1/customers', { id: 'buyer', name: 'Buyer' })).status).toBe(201);
    await api.post('/v1/invoices', {
      invoiceId: 'inv-pack',
      customerId: 'buyer',
      currency: 'USD',
      taxRate: vat,
      lines: [boost],
    });
    await api.post('/v1/invoices/inv-pack/finalization', {});
    for (const _report of [1, 2])
      expect(
        (
          await api.post('/v1/invoices/inv-pack/payments', {
            paymentId: 'pay-pack',
            amount: '2280',
          })
        ).status,
      ).toBe(200);
    await eventually(async () => {
      const invoice = await api.get('/v1/invoices/inv-pack');
      expect(invoice.body['creditsGranted']).toMatchObject({
        status: 'granted',
        granted: [{ grantId: 'inv-pack:line-1' }],
      });
    });
    const wallet = await api.get('/v1/wallets/buyer');
    // 2,000 credits for 19.00 net of tax: 0.95 cent a credit.
    expect(wallet.body).toMatchObject({ balance: '2000000000' });
    const grants = (wallet.body['grants'] as { id: string; costBasis: unknown }[]).filter(
      ({ id }) => id === 'inv-pack:line-1',
    );
    expect(grants).toEqual([
      expect.objectContaining({ costBasis: { currency: 'USD', microsPerCredit: '950000' } }),
    ]);
    // Revenue defers the net price.
    await eventually(async () => {
      const months = (await api.get('/v1/revenue/customers/buyer')).body['months'] as Record<
        string,
        unknown
      >[];
      expect(months.at(-1)).toMatchObject({ purchased: '1900', closingDeferred: '1900' });
    });
  });

  it('issues a credit note, tax included, when credits a paid invoice sold are refunded', async () => {
    const refunded = await api.post(
      '/v1/wallets/buyer/grants/inv-pack:line-1/refunds',
      { amount: '500000000', reason: 'unused' },
      { headers: { 'idempotency-key': 'refund-buyer' } },
    );
    expect(refunded.status).toBe(201);
    // 500 credits at 0.95 cent: 4.75 net, and the 20 % VAT charged on them, 0.95.
    const note = await eventually(async () => {
      const found = await api.get('/v1/invoices/inv-pack.cn-refund-buyer');
      // Drafted, then numbered: a reader may see the draft for a moment.
      expect(found.body).toMatchObject({ status: 'finalized' });
      return found.body;
    });
    expect(note).toMatchObject({
      status: 'finalized',
      customerId: 'buyer',
      currency: 'USD',
      source: { type: 'credit-note', invoiceId: 'inv-pack', refundId: 'refund-buyer' },
      lines: [{ lineId: 'refund', unitPrice: '475', credits: '0', tax: '95', total: '570' }],
      total: '570',
    });
    expect(note.number).toMatch(/^INV-\d{6}$/);
    expect((await api.get('/v1/wallets/buyer')).body).toMatchObject({ balance: '1500000000' });
  });

  it("records the wallet's refusal on the invoice when its customer has no wallet", async () => {
    await api.post('/v1/invoices', {
      invoiceId: 'inv-nobody',
      customerId: 'nobody',
      currency: 'USD',
      lines: [boost],
    });
    await api.post('/v1/invoices/inv-nobody/finalization', {});
    await api.post('/v1/invoices/inv-nobody/payments', { paymentId: 'pay-nobody', amount: '1900' });
    await eventually(async () => {
      const invoice = await api.get('/v1/invoices/inv-nobody');
      expect(invoice.body['creditsGranted']).toMatchObject({ status: 'refused' });
    });
  });
});
