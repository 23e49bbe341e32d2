import { EmbeddedDatabase, SqliteEventStore } from '@burndown/embedded';
import type { InvoiceLineInput } from '@burndown/invoicing-domain';
import { INVOICE_NUMBERS_STREAM } from './invoice-streams';
import { Invoices } from './invoices';

const at = new Date('2027-01-05T10:00:00Z');
const line: InvoiceLineInput = {
  lineId: 'boost',
  description: 'Boost pack',
  quantity: 1n,
  unitPrice: 1900n,
  credits: 2_000_000_000n,
};

describe('invoice finalization on the embedded event store', () => {
  let database: EmbeddedDatabase;
  let store: SqliteEventStore;

  beforeEach(async () => {
    database = await EmbeddedDatabase.open();
    store = await SqliteEventStore.create(database);
  });
  afterEach(async () => {
    await database.close();
  });

  const draft = (invoices: Invoices, invoiceId: string) =>
    invoices.execute(invoiceId, {
      type: 'DraftInvoice',
      commandId: `draft-${invoiceId}`,
      at,
      customerId: 'acme',
      currency: 'USD',
      source: { type: 'credit-pack', packId: 'boost' },
      taxRate: null,
      lines: [line],
    });

  it('numbers invoices finalized at once by two processes 1…n, each once, without a gap', async () => {
    // Two writers over one store, as two invoicing processes would be: each appends on the
    // numbering stream at the revision it last saw, and the one that loses the race decides again.
    const processes = [new Invoices(store), new Invoices(store)];
    const ids = Array.from({ length: 40 }, (_, index) => `inv-${index}`);
    await Promise.all(ids.map((id, index) => draft(processes[index % 2] as Invoices, id)));
    const finalized = await Promise.all(
      ids.map((id, index) =>
        (processes[(index + 1) % 2] as Invoices).finalize(id, `final-${id}`, at),
      ),
    );
    const numbers = finalized.map((state) => (state.status === 'none' ? null : state.number));
    expect([...numbers].sort((a, b) => (a as number) - (b as number))).toEqual(
      Array.from({ length: ids.length }, (_, index) => index + 1),
    );
    expect(await store.readStream(INVOICE_NUMBERS_STREAM)).toHaveLength(ids.length);
  });

  it('gives a retried finalization the number it was given, not a second one', async () => {
    const invoices = new Invoices(store);
    await draft(invoices, 'a');
    await draft(invoices, 'b');
    const first = await invoices.finalize('a', 'final-a', at);
    expect(first).toMatchObject({ status: 'finalized', number: 1 });
    // The same request again: answered as it was.
    expect(await invoices.finalize('a', 'final-a', at)).toMatchObject({ number: 1 });
    // A crash after the number was taken and before the invoice said so: the retry finds it.
    const restarted = new Invoices(store);
    await restarted['numberOf']('b', at);
    expect(await restarted.finalize('b', 'final-b', at)).toMatchObject({ number: 2 });
    expect(await store.readStream(INVOICE_NUMBERS_STREAM)).toHaveLength(2);
    await expect(restarted.finalize('a', 'another', at)).rejects.toMatchObject({
      code: 'not-draft',
    });
  });
});
