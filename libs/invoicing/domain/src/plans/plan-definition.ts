import { isAmountText } from '@burndown/money';
import type { BillingInterval } from './billing-period';

/** What a customer on the plan may use, per feature key (entitlements read these). */
export type FeatureEntitlement =
  | { readonly type: 'boolean'; readonly enabled: boolean }
  /** A limit per billing period, counted from rated usage; `hard` refuses past it. */
  | { readonly type: 'metered'; readonly limit: bigint; readonly enforcement: 'soft' | 'hard' }
  | { readonly type: 'config'; readonly value: string | number | boolean };

/** Credits for sale at a price: paying its invoice grants them at price ÷ credits a credit. */
export interface CreditPack {
  readonly packId: string;
  /** Micro-credits. */
  readonly credits: bigint;
  /** Minor units of `currency`. */
  readonly price: bigint;
  readonly currency: string;
}

/**
 * What the unused part of a period's allowance does at the period's end: `none` expires it all,
 * `all` carries it into the next period, `capped` carries at most `cap` micro-credits.
 */
export type RolloverPolicy =
  | { readonly mode: 'none' }
  | { readonly mode: 'all' }
  | { readonly mode: 'capped'; readonly cap: bigint };

/**
 * How the plan bills the overage its customers' wallets booked in a period, at the period's end:
 * credits × `microsPerCredit` (millionths of a minor unit per credit, a grant's cost-basis unit),
 * rounded half up to the minor unit. `uncovered`: what the wallet's overdraft policy did not allow
 * is invoiced with the rest, or written off.
 */
export interface OveragePricing {
  readonly microsPerCredit: bigint;
  readonly uncovered: 'invoice' | 'write-off';
}

/** One version of a plan, as published. Money in minor units of `currency`, credits in micro-credits. */
export interface PlanDefinition {
  readonly planId: string;
  readonly name: string;
  readonly currency: string;
  readonly interval: BillingInterval;
  /** Charged at the start of every period. */
  readonly baseFee: bigint;
  /** Granted at the start of every period, free of charge (recognises no revenue when burned). */
  readonly allowance: { readonly credits: bigint; readonly rollover: RolloverPolicy } | null;
  /** The rate card usage of the plan's customers is rated with. */
  readonly rateCardId: string;
  readonly features: Readonly<Record<string, FeatureEntitlement>>;
  readonly packs: readonly CreditPack[];
  /** Null: the plan bills no overage; what a wallet owes stays owed there. */
  readonly overage: OveragePricing | null;
  /**
   * The least a period bills, in minor units, net of tax: what its base fee and overage invoices
   * come to less than this is invoiced at the period's end as a true-up. Null: no commitment.
   */
  readonly commitment: { readonly minimum: bigint } | null;
}

export class InvalidPlanError extends Error {
  override readonly name = 'InvalidPlanError';
  constructor(
    /** JSON path of the value at fault, e.g. `packs[1].price`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

type Json = Readonly<Record<string, unknown>>;

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** A plan definition from its JSON form; the first problem found names its field. */
export function readPlanDefinition(json: unknown): PlanDefinition {
  const plan = object(json, '');
  // A misspelt field would otherwise read as its default (a base fee of 0).
  onlyFields(plan, '', [
    'planId',
    'name',
    'currency',
    'interval',
    'baseFee',
    'allowance',
    'rateCardId',
    'features',
    'packs',
    'overage',
    'commitment',
  ]);
  const currency = text(plan, 'currency', '', CURRENCY, 'an ISO 4217 code such as "USD"');
  const interval = plan['interval'] ?? 'month';
  if (interval !== 'month' && interval !== 'year')
    throw new InvalidPlanError('interval', 'expected "month" or "year"');
  return {
    planId: text(plan, 'planId', '', ID, 'an id of 1–64 letters, digits, ".", "_" or "-"'),
    name: text(plan, 'name', '', /^.{1,200}$/u, 'a name of 1–200 characters'),
    currency,
    interval,
    baseFee: amount(plan, 'baseFee', '', '0'),
    allowance: readAllowance(plan['allowance']),
    rateCardId: text(plan, 'rateCardId', '', ID, 'a rate card id', 'default'),
    features: readFeatures(plan['features'] ?? {}),
    packs: readPacks(plan['packs'] ?? []),
    overage: readOverage(plan['overage']),
    commitment: readCommitment(plan['commitment']),
  };
}

function readCommitment(json: unknown): PlanDefinition['commitment'] {
  if (json === undefined || json === null) return null;
  const commitment = object(json, 'commitment');
  onlyFields(commitment, 'commitment.', ['minimum']);
  return { minimum: amount(commitment, 'minimum', 'commitment.') };
}

function readOverage(json: unknown): OveragePricing | null {
  if (json === undefined || json === null) return null;
  const overage = object(json, 'overage');
  onlyFields(overage, 'overage.', ['microsPerCredit', 'uncovered']);
  const uncovered = overage['uncovered'] ?? 'invoice';
  if (uncovered !== 'invoice' && uncovered !== 'write-off')
    throw new InvalidPlanError('overage.uncovered', 'expected "invoice" or "write-off"');
  return { microsPerCredit: amount(overage, 'microsPerCredit', 'overage.'), uncovered };
}

function readAllowance(json: unknown): PlanDefinition['allowance'] {
  if (json === undefined || json === null) return null;
  const allowance = object(json, 'allowance');
  onlyFields(allowance, 'allowance.', ['credits', 'rollover']);
  const credits = amount(allowance, 'credits', 'allowance.');
  const rollover = object(allowance['rollover'] ?? { mode: 'none' }, 'allowance.rollover');
  switch (rollover['mode']) {
    case 'none':
    case 'all':
      return { credits, rollover: { mode: rollover['mode'] } };
    case 'capped':
      return {
        credits,
        rollover: { mode: 'capped', cap: amount(rollover, 'cap', 'allowance.rollover.') },
      };
    default:
      throw new InvalidPlanError('allowance.rollover.mode', 'expected "none", "all" or "capped"');
  }
}

function readFeatures(json: unknown): Record<string, FeatureEntitlement> {
  const features = object(json, 'features');
  const read: Record<string, FeatureEntitlement> = {};
  for (const [key, value] of Object.entries(features)) {
    const path = `features.${key}`;
    if (!ID.test(key))
      throw new InvalidPlanError(path, 'a feature key is 1–64 letters, digits, ".", "_" or "-"');
    const feature = object(value, path);
    switch (feature['type']) {
      case 'boolean':
        if (typeof feature['enabled'] !== 'boolean')
          throw new InvalidPlanError(`${path}.enabled`, 'expected true or false');
        read[key] = { type: 'boolean', enabled: feature['enabled'] };
        break;
      case 'metered': {
        const enforcement = feature['enforcement'] ?? 'hard';
        if (enforcement !== 'soft' && enforcement !== 'hard')
          throw new InvalidPlanError(`${path}.enforcement`, 'expected "soft" or "hard"');
        read[key] = { type: 'metered', limit: amount(feature, 'limit', `${path}.`), enforcement };
        break;
      }
      case 'config': {
        const configured = feature['value'];
        if (
          !['string', 'number', 'boolean'].includes(typeof configured) ||
          (typeof configured === 'number' && !Number.isFinite(configured))
        )
          throw new InvalidPlanError(
            `${path}.value`,
            'expected a string, a finite number or a boolean',
          );
        read[key] = { type: 'config', value: configured as string | number | boolean };
        break;
      }
      default:
        throw new InvalidPlanError(`${path}.type`, 'expected "boolean", "metered" or "config"');
    }
  }
  return read;
}

function readPacks(json: unknown): CreditPack[] {
  if (!Array.isArray(json)) throw new InvalidPlanError('packs', 'expected a list');
  const seen = new Set<string>();
  return json.map((item: unknown, index) => {
    const path = `packs[${index}]`;
    const pack = object(item, path);
    onlyFields(pack, `${path}.`, ['packId', 'credits', 'price', 'currency']);
    const packId = text(
      pack,
      'packId',
      `${path}.`,
      ID,
      'an id of 1–64 letters, digits, ".", "_" or "-"',
    );
    if (seen.has(packId)) throw new InvalidPlanError(`${path}.packId`, `${packId} is listed twice`);
    seen.add(packId);
    const credits = amount(pack, 'credits', `${path}.`);
    if (credits === 0n)
      throw new InvalidPlanError(`${path}.credits`, 'a pack holds at least one micro-credit');
    return {
      packId,
      credits,
      price: amount(pack, 'price', `${path}.`),
      currency: text(pack, 'currency', `${path}.`, CURRENCY, 'an ISO 4217 code such as "USD"'),
    };
  });
}

function onlyFields(record: Json, prefix: string, known: readonly string[]): void {
  for (const field of Object.keys(record))
    if (!known.includes(field))
      throw new InvalidPlanError(
        prefix + field,
        `unknown field; expected one of ${known.join(', ')}`,
      );
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidPlanError(path || '(plan)', 'expected an object');
  return value as Json;
}

function text(
  record: Json,
  field: string,
  prefix: string,
  pattern: RegExp,
  expected: string,
  fallback?: string,
): string {
  const value = record[field] ?? fallback;
  if (typeof value !== 'string' || !pattern.test(value))
    throw new InvalidPlanError(prefix + field, `expected ${expected}`);
  return value;
}

function amount(record: Json, field: string, prefix: string, fallback?: string): bigint {
  const value = record[field] ?? fallback;
  if (!isAmountText(value))
    throw new InvalidPlanError(
      prefix + field,
      'expected a non-negative integer as a decimal string',
    );
  return BigInt(value);
}

/** The JSON form readPlanDefinition reads: amounts as decimal strings. */
export function planDefinitionJson(plan: PlanDefinition): Readonly<Record<string, unknown>> {
  const features = Object.fromEntries(
    Object.entries(plan.features).map(([key, feature]) => [
      key,
      feature.type === 'metered' ? { ...feature, limit: feature.limit.toString() } : feature,
    ]),
  );
  return {
    planId: plan.planId,
    name: plan.name,
    currency: plan.currency,
    interval: plan.interval,
    baseFee: plan.baseFee.toString(),
    allowance:
      plan.allowance === null
        ? null
        : {
            credits: plan.allowance.credits.toString(),
            rollover:
              plan.allowance.rollover.mode === 'capped'
                ? { mode: 'capped', cap: plan.allowance.rollover.cap.toString() }
                : plan.allowance.rollover,
          },
    rateCardId: plan.rateCardId,
    features,
    packs: plan.packs.map((pack) => ({
      ...pack,
      credits: pack.credits.toString(),
      price: pack.price.toString(),
    })),
    overage:
      plan.overage === null
        ? null
        : { ...plan.overage, microsPerCredit: plan.overage.microsPerCredit.toString() },
    commitment: plan.commitment === null ? null : { minimum: plan.commitment.minimum.toString() },
  };
}
