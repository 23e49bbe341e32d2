import type { JournalEntry } from '@burndown/invoicing-domain';

const COLUMNS = [
  'month',
  'line_id',
  'customer_id',
  'currency',
  'kind',
  'account',
  'debit',
  'credit',
  'late',
  'items',
];

/**
 * RFC 4180 CSV of journal entries, amounts in minor units. Hand-written rather than a CSV
 * library: the whole format here is one quoting rule on a fixed set of columns.
 */
export function journalCsv(entries: readonly JournalEntry[]): string {
  const rows = entries.map((entry) =>
    [
      entry.month,
      entry.lineId,
      entry.customerId,
      entry.currency,
      entry.kind,
      entry.account,
      entry.debit.toString(),
      entry.credit.toString(),
      entry.late ? 'true' : 'false',
      String(entry.items),
    ]
      .map(field)
      .join(','),
  );
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

const field = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
