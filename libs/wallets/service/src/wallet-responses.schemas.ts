import {
  amountSchema,
  arrayOf,
  booleanSchema,
  enumSchema,
  integerSchema,
  namedSchema,
  nullable,
  objectSchema,
  pageSchema,
  refTo,
  stringSchema,
  timestampSchema,
  type NamedSchema,
  type ReferenceObject,
  type SchemaObject,
} from '@burndown/http';
import {
  ALLOWANCE_PERIOD_UNITS,
  GRANT_KINDS,
  OVERAGE_SETTLEMENT_OUTCOMES,
  type HoldResolution,
  type WalletEventType,
} from '@burndown/wallet-domain';

// The bodies the wallet endpoints answer, as walletView, holdView, encodeShape(policy) and
// encodeWalletEvent write them: amounts are bigints written as strings, times ISO-8601 strings.

type Properties = Readonly<Record<string, SchemaObject | ReferenceObject | NamedSchema>>;

/** A stream revision: a non-negative integer written as a string. */
const revisionSchema: SchemaObject = {
  type: 'string',
  pattern: '^[0-9]+$',
  description: 'A stream revision, an integer as a string',
  example: '12',
};

const constant = (value: string): SchemaObject => enumSchema([value]);

/** A union's variant: no `type` of its own, so that a nullable union accepts null (see rolloverVariants). */
function untypedVariant(required: Properties, optional: Properties = {}): SchemaObject {
  const { type: _object, ...variant } = objectSchema(required, optional);
  return variant;
}

export const WALLET_GRANT_ALLOCATION = namedSchema(
  'WalletGrantAllocation',
  objectSchema({ grantId: stringSchema, amount: amountSchema }),
);

export const WALLET_COST_BASIS = namedSchema(
  'WalletCostBasis',
  objectSchema({
    currency: { type: 'string', description: "ISO 4217 code; 'XXX' for free credit" },
    microsPerCredit: {
      ...amountSchema,
      description: "Millionths of the currency's minor unit per credit",
    },
  }),
);

const rolloverVariants: SchemaObject[] = [
  untypedVariant({ mode: constant('none') }),
  untypedVariant({ mode: constant('all'), expiresAfterMs: nullable(integerSchema) }),
  untypedVariant({
    mode: constant('capped'),
    capPercentOfAllowance: nullable(integerSchema),
    fixedCap: nullable(amountSchema),
    expiresAfterMs: nullable(integerSchema),
  }),
];

/** How unused allowance carries into the next period (the `mode` tells the variant). */
export const WALLET_ROLLOVER_POLICY = namedSchema('WalletRolloverPolicy', {
  type: 'object',
  description: 'How unused allowance carries into the next period',
  oneOf: rolloverVariants,
});

/**
 * A grant's own rollover terms, or null for the wallet policy's. Written out rather than as a
 * reference: an OpenAPI 3.0 `nullable` has no effect beside a $ref. anyOf, since null matches
 * every untyped variant.
 */
const nullableRollover: SchemaObject = {
  type: 'object',
  nullable: true,
  description: "The grant's own rollover terms; null: the wallet policy's",
  anyOf: rolloverVariants,
};

export const WALLET_POLICY = namedSchema(
  'WalletPolicy',
  objectSchema({
    overdraft: {
      type: 'object',
      oneOf: [
        untypedVariant({ mode: constant('block') }),
        untypedVariant({ mode: constant('allow-to-limit'), limit: amountSchema }),
      ],
    },
    autoTopUp: nullable(
      objectSchema({
        threshold: amountSchema,
        amount: amountSchema,
        cooldownMs: integerSchema,
        maxPerPeriod: integerSchema,
        periodMs: integerSchema,
      }),
    ),
    alerts: objectSchema({
      balanceThresholds: arrayOf(amountSchema),
      allowanceUsedPercents: arrayOf(integerSchema),
    }),
    rollover: WALLET_ROLLOVER_POLICY,
    allowance: nullable(
      objectSchema({
        amount: amountSchema,
        every: objectSchema({ unit: enumSchema(ALLOWANCE_PERIOD_UNITS), count: integerSchema }),
      }),
    ),
    dedupeHorizonMs: integerSchema,
  }),
);

const holdProperties = {
  id: stringSchema,
  amount: amountSchema,
  feature: stringSchema,
  budgetId: nullable(stringSchema),
  earmarks: arrayOf(WALLET_GRANT_ALLOCATION),
  overdraft: amountSchema,
  placedAt: timestampSchema,
  expiresAt: timestampSchema,
} satisfies Properties;

/** An active hold (holdView). */
export const WALLET_HOLD = namedSchema('WalletHold', objectSchema(holdProperties));

export const WALLET_GRANT = namedSchema(
  'WalletGrant',
  objectSchema({
    id: stringSchema,
    kind: enumSchema(GRANT_KINDS),
    amount: amountSchema,
    remaining: amountSchema,
    held: amountSchema,
    priority: integerSchema,
    costBasis: WALLET_COST_BASIS,
    scope: arrayOf(stringSchema),
    effectiveAt: timestampSchema,
    expiresAt: nullable(timestampSchema),
    source: nullable(stringSchema),
    grantedAt: timestampSchema,
  }),
);

/** walletView: the wallet at the time of the answer. */
export const WALLET = namedSchema(
  'Wallet',
  objectSchema({
    id: stringSchema,
    customerId: stringSchema,
    unit: constant('micro-credits'),
    balance: amountSchema,
    available: amountSchema,
    held: amountSchema,
    overage: amountSchema,
    revision: nullable(revisionSchema),
    policy: WALLET_POLICY,
    grants: arrayOf(WALLET_GRANT),
    holds: arrayOf(WALLET_HOLD),
    budgets: arrayOf(objectSchema({ id: stringSchema, cap: amountSchema, used: amountSchema })),
  }),
);

// Every event's data, as encodeWalletEvent writes it (after commandId and at).
const grantTerms = {
  grantId: stringSchema,
  kind: enumSchema(GRANT_KINDS),
  amount: amountSchema,
  costBasis: WALLET_COST_BASIS,
  priority: integerSchema,
  effectiveAt: timestampSchema,
  expiresAt: nullable(timestampSchema),
  scope: arrayOf(stringSchema),
  source: nullable(stringSchema),
  rollover: nullableRollover,
} satisfies Properties;
const allocations = arrayOf(WALLET_GRANT_ALLOCATION);
const eventData = {
  WalletOpened: { walletId: stringSchema, customerId: stringSchema, name: stringSchema },
  WalletPolicyChanged: { policy: WALLET_POLICY },
  BudgetSet: { budgetId: stringSchema, cap: amountSchema },
  CreditsGranted: grantTerms,
  UsageDebited: {
    usageEventId: stringSchema,
    feature: stringSchema,
    amount: amountSchema,
    allocations,
    overdraft: amountSchema,
    uncovered: amountSchema,
    budgetId: nullable(stringSchema),
    usageOccurredAt: nullable(timestampSchema),
  },
  OverageSettled: {
    settlementId: stringSchema,
    amount: amountSchema,
    outcome: enumSchema(OVERAGE_SETTLEMENT_OUTCOMES),
    reference: stringSchema,
  },
  CreditsDeducted: {
    adjustmentId: stringSchema,
    amount: amountSchema,
    allocations,
    reason: stringSchema,
  },
  PurchaseRefunded: {
    refundId: stringSchema,
    grantId: stringSchema,
    amount: amountSchema,
    costBasis: WALLET_COST_BASIS,
    reason: stringSchema,
  },
  CreditsHeld: {
    holdId: stringSchema,
    amount: amountSchema,
    feature: stringSchema,
    budgetId: nullable(stringSchema),
    earmarks: allocations,
    overdraft: amountSchema,
    expiresAt: timestampSchema,
  },
  HoldSettled: {
    holdId: stringSchema,
    amount: amountSchema,
    allocations,
    overdraft: amountSchema,
    released: allocations,
  },
  HoldReleased: { holdId: stringSchema, released: allocations },
  HoldExpired: { holdId: stringSchema, released: allocations },
  GrantExpired: { grantId: stringSchema, amount: amountSchema },
  TopUpRequested: { requestId: stringSchema, amount: amountSchema, available: amountSchema },
  LowBalanceAlerted: { threshold: amountSchema, available: amountSchema },
  AllowanceUsageAlerted: {
    grantId: stringSchema,
    percent: integerSchema,
    used: amountSchema,
    allowance: amountSchema,
  },
  WalletDepleted: { available: amountSchema },
  WalletRecovered: { available: amountSchema },
} satisfies Record<WalletEventType, Properties>;
const eventCommon = { commandId: stringSchema, at: timestampSchema } satisfies Properties;

/** One event a command caused, `{ type, data }` (encodeWalletEvent). */
export const WALLET_EVENT = namedSchema('WalletEvent', {
  type: 'object',
  oneOf: Object.entries(eventData).map(([type, data]) =>
    objectSchema({ type: constant(type), data: objectSchema({ ...eventCommon, ...data }) }),
  ),
});

/** What every wallet command endpoint answers (WalletCommandEndpoint.run). */
export const WALLET_COMMAND_RESULT = namedSchema(
  'WalletCommandResult',
  objectSchema({
    walletId: stringSchema,
    commandId: {
      type: 'string',
      description: 'The Idempotency-Key, or an id derived from the resource id',
    },
    events: {
      ...arrayOf(WALLET_EVENT),
      description: 'The events the command caused; none when it was a repeat',
    },
    wallet: WALLET,
  }),
);

export const ACTIVE_WALLET_HOLD = namedSchema(
  'ActiveWalletHold',
  objectSchema({ ...holdProperties, status: constant('active') }),
);

export const RESOLVED_WALLET_HOLD = namedSchema(
  'ResolvedWalletHold',
  objectSchema({
    id: stringSchema,
    status: enumSchema(['settled', 'released', 'expired'] satisfies HoldResolution[]),
  }),
);

/** GET hold: the hold while it is active, or how it ended. */
export const WALLET_HOLD_STATUS = namedSchema('WalletHoldStatus', {
  type: 'object',
  oneOf: [refTo(ACTIVE_WALLET_HOLD), refTo(RESOLVED_WALLET_HOLD)],
});

export const WALLET_VERIFICATION = namedSchema('WalletVerification', {
  type: 'object',
  oneOf: [
    objectSchema({
      walletId: stringSchema,
      intact: { ...booleanSchema, enum: [true] },
      events: { ...integerSchema, description: 'How many events the chain holds' },
      headHash: stringSchema,
    }),
    objectSchema({
      walletId: stringSchema,
      intact: { ...booleanSchema, enum: [false] },
      brokenAtRevision: revisionSchema,
      reason: stringSchema,
    }),
  ],
});

// A ledger line: the event's data, then what it means for the balance (ledgerWrites).
const ledgerCommon = {
  walletId: stringSchema,
  revision: revisionSchema,
  eventId: stringSchema,
  ...eventCommon,
  amount: {
    ...amountSchema,
    description: 'The change of the balance: negative when credit left the wallet',
  },
  balanceAfter: amountSchema,
  availableAfter: amountSchema,
} satisfies Properties;

function ledgerLine(
  eventTypes: readonly WalletEventType[],
  entryTypes: readonly string[],
  required: Properties,
  optional: Properties = {},
): SchemaObject {
  return objectSchema(
    {
      ...ledgerCommon,
      eventType: enumSchema(eventTypes),
      entryType: enumSchema(entryTypes),
      ...required,
    },
    optional,
  );
}

/** HoldReleased and HoldExpired lines: `released` is the total here, not the event's allocations. */
const releaseLine = {
  holdId: stringSchema,
  amount: { ...amountSchema, description: 'Always 0: a release moves no balance' },
  released: { ...amountSchema, description: 'The total returned to the grants' },
} satisfies Properties;

const { rollover: grantRollover, ...grantTermsBefore5 } = grantTerms;
const { uncovered, usageOccurredAt, ...usageBefore4 } = eventData.UsageDebited;

export const WALLET_LEDGER_ENTRY = namedSchema('WalletLedgerEntry', {
  type: 'object',
  description:
    'Fields added to the events later (rollover, uncovered, usageOccurredAt) are absent from lines written before them',
  oneOf: [
    ledgerLine(['CreditsGranted'], ['grant'], grantTermsBefore5, { rollover: grantRollover }),
    ledgerLine(['UsageDebited'], ['debit'], usageBefore4, { uncovered, usageOccurredAt }),
    ledgerLine(['CreditsDeducted'], ['deduction'], eventData.CreditsDeducted),
    ledgerLine(['PurchaseRefunded'], ['purchase-refund'], eventData.PurchaseRefunded),
    ledgerLine(['OverageSettled'], ['overage-settled'], eventData.OverageSettled),
    ledgerLine(['HoldSettled'], ['hold-settled'], eventData.HoldSettled),
    ledgerLine(['GrantExpired'], ['expiry'], eventData.GrantExpired),
    ledgerLine(['CreditsHeld'], ['hold'], {
      ...eventData.CreditsHeld,
      amount: { ...amountSchema, description: 'Always 0: a hold moves no balance' },
      held: amountSchema,
    }),
    ledgerLine(['HoldReleased'], ['hold-released'], releaseLine),
    ledgerLine(['HoldExpired'], ['hold-expired'], releaseLine),
  ],
});

export const WALLET_LEDGER_PAGE = pageSchema('WalletLedgerPage', WALLET_LEDGER_ENTRY);

const customerFields = { id: stringSchema, name: stringSchema, walletId: stringSchema };

export const CREATED_CUSTOMER = namedSchema('CreatedCustomer', objectSchema(customerFields));

export const CUSTOMER = namedSchema(
  'Customer',
  objectSchema({ ...customerFields, createdAt: timestampSchema }),
);
