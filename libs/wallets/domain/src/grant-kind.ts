export const GRANT_KINDS = [
  'purchased',
  'promotional',
  'allowance',
  'rollover',
  'refund',
  'adjustment',
] as const;

export type GrantKind = (typeof GRANT_KINDS)[number];

export const isGrantKind = (value: unknown): value is GrantKind =>
  typeof value === 'string' && (GRANT_KINDS as readonly string[]).includes(value);
