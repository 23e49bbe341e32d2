import { divideRounded } from '../exact-money';

/** A tax rate in parts per million of the amount (20 % = 200,000), added to prices or inside them. */
export interface TaxRate {
  readonly name: string;
  readonly ratePpm: bigint;
  /** True: prices include the tax (a gross price); false: the tax is added on top. */
  readonly inclusive: boolean;
}

export interface InvoiceLineInput {
  readonly lineId: string;
  readonly description: string;
  readonly quantity: bigint;
  /** Minor units, per unit, as the price list states it (gross when the tax is inclusive). */
  readonly unitPrice: bigint;
  /** Micro-credits granted when the invoice is paid (a credit pack, a top-up), else 0. */
  readonly credits: bigint;
}

/** A line with its amounts in minor units: net + tax = total. */
export interface InvoiceLine extends InvoiceLineInput {
  readonly net: bigint;
  readonly tax: bigint;
  readonly total: bigint;
}

export interface InvoiceTotals {
  readonly net: bigint;
  readonly tax: bigint;
  readonly total: bigint;
}

const PPM = 1_000_000n;

/**
 * Each line's tax, rounded half away from zero per line (the invoice's tax is the sum of its
 * lines', so every line reconciles on its own): on top of the net price, or taken out of a gross
 * price (net = gross ÷ (1 + rate), tax = gross − net).
 */
export function priceLine(line: InvoiceLineInput, taxRate: TaxRate | null): InvoiceLine {
  const amount = line.quantity * line.unitPrice;
  if (taxRate === null || taxRate.ratePpm === 0n)
    return { ...line, net: amount, tax: 0n, total: amount };
  if (taxRate.inclusive) {
    const net = divideRounded(amount * PPM, PPM + taxRate.ratePpm);
    return { ...line, net, tax: amount - net, total: amount };
  }
  const tax = divideRounded(amount * taxRate.ratePpm, PPM);
  return { ...line, net: amount, tax, total: amount + tax };
}

export const totalsOf = (lines: readonly InvoiceLine[]): InvoiceTotals =>
  lines.reduce(
    (sum, line) => ({
      net: sum.net + line.net,
      tax: sum.tax + line.tax,
      total: sum.total + line.total,
    }),
    { net: 0n, tax: 0n, total: 0n },
  );
