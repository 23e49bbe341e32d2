import fc from 'fast-check';
import { invoiceEventCodec, invoiceNumberingCodec } from './invoice-codecs';
import {
  decideInvoice,
  evolveInvoice,
  initialInvoiceState,
  InvoiceRefused,
  type InvoiceCommand,
  type InvoiceState,
  type UnstampedInvoiceCommand,
} from './invoice';
import {
  decideInvoiceNumber,
  evolveInvoiceNumbering,
  formatInvoiceNumber,
  initialInvoiceNumbering,
} from './invoice-numbering';
import { priceLine, totalsOf, type InvoiceLineInput, type TaxRate } from './invoice-totals';

const at = new Date('2027-01-05T10:00:00Z');
const VAT_20: TaxRate = { name: 'VAT 20 %', ratePpm: 200_000n, inclusive: false };
const VAT_20_INCLUDED: TaxRate = { ...VAT_20, inclusive: true };
const pack = (lineId: string, unitPrice: bigint, quantity = 1n): InvoiceLineInput => ({
  lineId,
  description: 'Boost pack, 2,000 credits',
  quantity,
  unitPrice,
  credits: 2_000_000_000n * quantity,
});

let commands = 0;
const run = (state: InvoiceState, command: UnstampedInvoiceCommand) =>
  decideInvoice({ commandId: `c${++commands}`, at, ...command } as InvoiceCommand, state).reduce(
    evolveInvoice,
    state,
  );

const drafted = (taxRate: TaxRate | null, lines: readonly InvoiceLineInput[]) =>
  run(initialInvoiceState(), {
    type: 'DraftInvoice',
    customerId: 'acme',
    currency: 'EUR',
    source: { type: 'credit-pack', packId: 'boost' },
    taxRate,
    lines,
  });

describe('invoice amounts: minor units, tax per line, rounded half away from zero', () => {
  it('adds an exclusive tax on top, and takes an inclusive one out of the gross price', () => {
    expect(priceLine(pack('a', 1999n), VAT_20)).toMatchObject({
      net: 1999n,
      tax: 400n,
      total: 2399n,
    });
    // 19.99 gross at 20 % inside: net 16.658… → 16.66, tax 3.33.
    expect(priceLine(pack('b', 1999n), VAT_20_INCLUDED)).toMatchObject({
      net: 1666n,
      tax: 333n,
      total: 1999n,
    });
    expect(priceLine(pack('c', 1999n, 3n), null)).toMatchObject({
      net: 5997n,
      tax: 0n,
      total: 5997n,
    });
  });

  it('keeps net + tax = total on every line and in the sum, for any price, quantity and rate', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            price: fc.bigInt({ min: 0n, max: 10n ** 9n }),
            quantity: fc.bigInt({ min: 1n, max: 1000n }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.bigInt({ min: 0n, max: 500_000n }),
        fc.boolean(),
        (items, ratePpm, inclusive) => {
          const lines = items.map((item, index) =>
            priceLine(pack(`l${index}`, item.price, item.quantity), {
              name: 't',
              ratePpm,
              inclusive,
            }),
          );
          for (const line of lines) {
            expect(line.net + line.tax).toBe(line.total);
            expect(line.tax >= 0n && line.net >= 0n).toBe(true);
            expect(inclusive ? line.total : line.net).toBe(line.quantity * line.unitPrice);
          }
          const totals = totalsOf(lines);
          expect(totals.net + totals.tax).toBe(totals.total);
        },
      ),
    );
  });
});

describe('invoice lifecycle: draft → finalized → paid | void | uncollectible', () => {
  it('finalizes a draft with its number and totals; then nothing on it changes', () => {
    let invoice = drafted(VAT_20, [pack('boost', 1900n)]);
    invoice = run(invoice, { type: 'AddInvoiceLines', lines: [pack('boost-2', 1900n)] });
    invoice = run(invoice, { type: 'FinalizeInvoice', number: 7 });
    expect(invoice).toMatchObject({ status: 'finalized', number: 7 });
    expect(() => run(invoice, { type: 'AddInvoiceLines', lines: [pack('late', 1n)] })).toThrow(
      expect.objectContaining({ name: InvoiceRefused.name, code: 'not-draft' }),
    );
    expect(() => run(invoice, { type: 'FinalizeInvoice', number: 8 })).toThrow(
      expect.objectContaining({ code: 'not-draft' }),
    );
  });

  it('is paid once, for its whole total: the same payment reported again changes nothing, another is refused', () => {
    let invoice = run(drafted(VAT_20, [pack('boost', 1900n)]), {
      type: 'FinalizeInvoice',
      number: 1,
    });
    expect(() =>
      run(invoice, {
        type: 'RecordInvoicePayment',
        paymentId: 'pi_1',
        amount: 1900n,
        provider: 'manual',
      }),
    ).toThrow(expect.objectContaining({ code: 'amount-mismatch', field: 'amount' }));
    invoice = run(invoice, {
      type: 'RecordInvoicePayment',
      paymentId: 'pi_1',
      amount: 2280n,
      provider: 'stripe',
    });
    expect(invoice).toMatchObject({ status: 'paid', paymentId: 'pi_1' });
    expect(
      decideInvoice(
        {
          type: 'RecordInvoicePayment',
          commandId: 'again',
          at,
          paymentId: 'pi_1',
          amount: 2280n,
          provider: 'stripe',
        },
        invoice,
      ),
    ).toEqual([]);
    expect(() =>
      run(invoice, {
        type: 'RecordInvoicePayment',
        paymentId: 'pi_2',
        amount: 2280n,
        provider: 'manual',
      }),
    ).toThrow(expect.objectContaining({ code: 'paid-otherwise', field: 'paymentId' }));
    expect(() => run(invoice, { type: 'VoidInvoice', reason: 'oops' })).toThrow(
      expect.objectContaining({ code: 'not-payable' }),
    );
  });

  it('records the one payment a provider was asked for, on a finalized invoice only', () => {
    const draft = drafted(VAT_20, [pack('boost', 1900n)]);
    const request = {
      type: 'RecordPaymentRequest',
      provider: 'stripe',
      paymentId: 'pi_1',
    } as const;
    expect(() => run(draft, request)).toThrow(
      expect.objectContaining({ code: 'not-payable', field: 'invoiceId' }),
    );
    let invoice = run(draft, { type: 'FinalizeInvoice', number: 4 });
    expect(invoice).toMatchObject({ paymentRequest: null });
    invoice = run(invoice, request);
    expect(invoice).toMatchObject({
      status: 'finalized',
      paymentRequest: { provider: 'stripe', paymentId: 'pi_1' },
    });
    // The walk that asked, run again after a crash: nothing more.
    expect(decideInvoice({ ...request, commandId: 'again', at }, invoice)).toEqual([]);
    expect(() => run(invoice, { ...request, paymentId: 'pi_2' })).toThrow(
      expect.objectContaining({ code: 'payment-requested', field: 'paymentId' }),
    );
    invoice = run(invoice, {
      type: 'RecordInvoicePayment',
      paymentId: 'pi_1',
      amount: 2280n,
      provider: 'stripe',
    });
    expect(invoice).toMatchObject({ status: 'paid', paymentId: 'pi_1' });
    const voided = run(
      run(drafted(null, [pack('x', 100n)]), { type: 'FinalizeInvoice', number: 5 }),
      {
        type: 'VoidInvoice',
        reason: 'duplicate',
      },
    );
    expect(() => run(voided, request)).toThrow(expect.objectContaining({ code: 'not-payable' }));
  });

  it('voids a draft or a finalized invoice, writes off a finalized one, which may still be paid', () => {
    expect(
      run(drafted(null, [pack('x', 100n)]), { type: 'VoidInvoice', reason: 'duplicate' }).status,
    ).toBe('void');
    let invoice = run(drafted(null, [pack('x', 100n)]), { type: 'FinalizeInvoice', number: 2 });
    invoice = run(invoice, {
      type: 'MarkInvoiceUncollectible',
      reason: 'card declined for 30 days',
    });
    expect(invoice.status).toBe('uncollectible');
    expect(
      run(invoice, {
        type: 'RecordInvoicePayment',
        paymentId: 'late',
        amount: 100n,
        provider: 'manual',
      }).status,
    ).toBe('paid');
    expect(() => run(drafted(null, []), { type: 'FinalizeInvoice', number: 3 })).toThrow(
      expect.objectContaining({ code: 'no-lines' }),
    );
  });

  it('refuses a bad line naming it', () => {
    expect(() => drafted(null, [pack('x', 100n), pack('x', 100n)])).toThrow(
      expect.objectContaining({ code: 'invalid-line', field: 'lines[1].lineId' }),
    );
    expect(() => drafted(null, [pack('y', 100n, 0n)])).toThrow(
      expect.objectContaining({ field: 'lines[0].quantity' }),
    );
  });
});

describe('invoice numbers', () => {
  it('count up from 1 without a gap, and an invoice numbered already gets no second number', () => {
    let numbering = initialInvoiceNumbering();
    const given: number[] = [];
    for (const invoiceId of ['a', 'b', 'a', 'c', 'b']) {
      const events = decideInvoiceNumber({ type: 'AssignInvoiceNumber', at, invoiceId }, numbering);
      for (const event of events) given.push(event.data.number);
      numbering = events.reduce(evolveInvoiceNumbering, numbering);
    }
    expect(given).toEqual([1, 2, 3]);
    expect(formatInvoiceNumber(42)).toBe('INV-000042');
  });
});

describe('invoice events, as stored', () => {
  it('come back from their JSON form as they were', () => {
    let invoice = initialInvoiceState();
    const events = [
      {
        type: 'DraftInvoice',
        customerId: 'acme',
        currency: 'EUR',
        source: { type: 'subscription-period', subscriptionId: 's1', period: 3 },
        taxRate: VAT_20,
        lines: [pack('boost', 1900n)],
      },
      { type: 'AddInvoiceLines', lines: [pack('more', 100n)] },
      { type: 'FinalizeInvoice', number: 12 },
      { type: 'RecordPaymentRequest', provider: 'stripe', paymentId: 'pi' },
      { type: 'RecordInvoicePayment', paymentId: 'pi', amount: 2400n, provider: 'manual' },
    ].flatMap((command) => {
      const decided = decideInvoice(
        { commandId: `e${++commands}`, at, ...command } as InvoiceCommand,
        invoice,
      );
      invoice = decided.reduce(evolveInvoice, invoice);
      return decided;
    });
    expect(events).toHaveLength(5);
    for (const event of events) {
      const { type, data } = invoiceEventCodec.encode(event);
      expect(invoiceEventCodec.decode(type, JSON.parse(JSON.stringify(data)))).toEqual(event);
    }
    const [numbered] = decideInvoiceNumber(
      { type: 'AssignInvoiceNumber', at, invoiceId: 'x' },
      initialInvoiceNumbering(),
    );
    const { type, data } = invoiceNumberingCodec.encode(numbered!);
    expect(invoiceNumberingCodec.decode(type, JSON.parse(JSON.stringify(data)))).toEqual(numbered);
  });
});
