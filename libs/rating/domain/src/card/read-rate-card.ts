import { isAmountText, parseAmount } from '@burndown/money';
import { formatRatio } from '../pricing/ratio';
import { JsonReader, type CardProblem } from './json-reader';
import {
  AGGREGATIONS,
  BILLING_PERIODS,
  DEFAULT_ROUNDING,
  type BurnRule,
  type Meter,
  type Per,
  type Price,
  type ProviderPrice,
  type RateCard,
  type Rounding,
  type Tier,
} from './rate-card';
import { validateRateCard } from './validate-rate-card';

export class InvalidRateCardError extends Error {
  override readonly name = 'InvalidRateCardError';
  constructor(readonly problems: readonly CardProblem[]) {
    super(`the rate card is invalid: ${problems.map(describeProblem).join('; ')}`);
  }
}

export const describeProblem = (problem: CardProblem): string =>
  `${problem.ruleId === null ? '' : `rule ${problem.ruleId}: `}${problem.path}: ${problem.message}`;

const ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const ROUNDING_MODES = ['up', 'down', 'half-up', 'half-even'] as const;

/** Reads and validates a rate card from its JSON form; throws InvalidRateCardError listing every problem. */
export function readRateCard(json: unknown): RateCard {
  const reader = new JsonReader();
  const root = reader.object(json, '$');
  const creditPrice = reader.object(root['creditPrice'], '$.creditPrice');
  const micros = creditPrice['microsPerCredit'];
  if (!isAmountText(micros))
    reader.problem(
      '$.creditPrice.microsPerCredit',
      'expected a whole number of millionths of the minor unit, as a string',
    );
  const card: RateCard = {
    cardId: reader.string(root['cardId'], '$.cardId', ID),
    name: reader.string(root['name'], '$.name'),
    currency: reader.string(creditPrice['currency'], '$.creditPrice.currency', /^[A-Z]{3}$/),
    microsPerCredit: isAmountText(micros) ? parseAmount(micros) : 0n,
    period: reader.oneOf(root['period'], '$.period', BILLING_PERIODS, 'month'),
    meters: reader
      .array(root['meters'], '$.meters')
      .map((meter, index) => readMeter(reader, meter, `$.meters[${index}]`)),
    rules: reader
      .array(root['rules'], '$.rules')
      .map((rule, index) => readRule(reader, rule, `$.rules[${index}]`)),
    providerPrices: reader
      .array(root['providerPrices'] ?? [], '$.providerPrices')
      .map((price, index) => readProviderPrice(reader, price, `$.providerPrices[${index}]`)),
  };
  if (reader.problems.length === 0) validateRateCard(card, reader);
  if (reader.problems.length > 0) throw new InvalidRateCardError(reader.problems);
  return card;
}

/** Reads burn rules on their own (a customer's overrides); throws InvalidRateCardError. */
export function readRules(json: unknown): readonly BurnRule[] {
  const reader = new JsonReader();
  const rules = reader
    .array(json, '$.rules')
    .map((rule, index) => readRule(reader, rule, `$.rules[${index}]`));
  if (reader.problems.length > 0) throw new InvalidRateCardError(reader.problems);
  return rules;
}

function readMeter(reader: JsonReader, json: unknown, path: string): Meter {
  const meter = reader.object(json, path);
  const quantity = reader.object(meter['quantity'] ?? {}, `${path}.quantity`);
  const filter = reader.match(meter['filter'], `${path}.filter`);
  return {
    meterId: reader.string(meter['meterId'], `${path}.meterId`, ID),
    eventType: reader.string(
      meter['eventType'],
      `${path}.eventType`,
      /^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,127})$/,
    ),
    filter: Object.fromEntries(
      Object.entries(filter).map(([key, values]) => [key, values[0] ?? '']),
    ),
    quantity: {
      property: reader.optionalString(quantity['property'], `${path}.quantity.property`),
      unit: reader.string(quantity['unit'] ?? 'units', `${path}.quantity.unit`),
    },
    aggregation: reader.oneOf(meter['aggregation'], `${path}.aggregation`, AGGREGATIONS, 'sum'),
    uniqueProperty: reader.optionalString(meter['uniqueProperty'], `${path}.uniqueProperty`),
  };
}

function readRule(root: JsonReader, json: unknown, path: string): BurnRule {
  const record = root.object(json, path);
  const ruleId = root.string(record['ruleId'], `${path}.ruleId`, ID);
  const reader = root.forRule(ruleId);
  return {
    ruleId,
    meterId: reader.string(record['meterId'], `${path}.meterId`, ID),
    match: reader.match(record['match'], `${path}.match`),
    precedence: reader.integer(record['precedence'], `${path}.precedence`, 0),
    price: readPrice(reader, record['price'], `${path}.price`),
    minimum: reader.optionalDecimal(record['minimum'], `${path}.minimum`),
    maximum: reader.optionalDecimal(record['maximum'], `${path}.maximum`),
    rounding: readRounding(reader, record['rounding'], `${path}.rounding`),
  };
}

function readPrice(reader: JsonReader, json: unknown, path: string): Price {
  const price = reader.object(json, path);
  const type = reader.oneOf(price['type'], `${path}.type`, [
    'per-unit',
    'per-action',
    'graduated',
    'volume',
  ] as const);
  switch (type) {
    case 'per-action':
      return { type, credits: reader.decimal(price['credits'], `${path}.credits`) };
    case 'per-unit': {
      const multiplier =
        price['multiplier'] === undefined || price['multiplier'] === null
          ? null
          : reader.object(price['multiplier'], `${path}.multiplier`);
      return {
        type,
        credits: reader.decimal(price['credits'], `${path}.credits`),
        per: readPer(reader, price['per'], `${path}.per`),
        multiplier:
          multiplier === null
            ? null
            : {
                property: reader.string(multiplier['property'], `${path}.multiplier.property`),
                values: Object.fromEntries(
                  Object.entries(
                    reader.object(multiplier['values'], `${path}.multiplier.values`),
                  ).map(([key, factor]) => [
                    key,
                    reader.decimal(factor, `${path}.multiplier.values.${key}`),
                  ]),
                ),
              },
      };
    }
    case 'graduated':
    case 'volume':
      return {
        type,
        per: readPer(reader, price['per'], `${path}.per`),
        tiers: reader.array(price['tiers'], `${path}.tiers`).map((tier, index): Tier => {
          const record = reader.object(tier, `${path}.tiers[${index}]`);
          return {
            upTo: reader.optionalDecimal(record['upTo'], `${path}.tiers[${index}].upTo`),
            credits: reader.decimal(record['credits'], `${path}.tiers[${index}].credits`),
            flat: reader.optionalDecimal(record['flat'], `${path}.tiers[${index}].flat`) ?? {
              num: 0n,
              den: 1n,
            },
          };
        }),
      };
  }
}

function readPer(reader: JsonReader, json: unknown, path: string): Per {
  const per = reader.object(json ?? {}, path);
  return {
    quantity: reader.decimal(per['quantity'] ?? '1', `${path}.quantity`),
    unit: reader.string(per['unit'] ?? 'units', `${path}.unit`),
  };
}

function readRounding(reader: JsonReader, json: unknown, path: string): Rounding {
  if (json === undefined || json === null) return DEFAULT_ROUNDING;
  const rounding = reader.object(json, path);
  const unit = rounding['unitMicroCredits'] ?? '1';
  if (!isAmountText(unit) || unit === '0')
    reader.problem(
      `${path}.unitMicroCredits`,
      'expected a positive whole number of micro-credits, as a string',
    );
  return {
    mode: reader.oneOf(rounding['mode'], `${path}.mode`, ROUNDING_MODES, 'up'),
    unitMicroCredits: isAmountText(unit) && unit !== '0' ? parseAmount(unit) : 1n,
  };
}

function readProviderPrice(reader: JsonReader, json: unknown, path: string): ProviderPrice {
  const price = reader.object(json, path);
  return {
    meterId: reader.string(price['meterId'], `${path}.meterId`, ID),
    match: reader.match(price['match'], `${path}.match`),
    microsPer: reader.decimal(price['micros'], `${path}.micros`),
    per: readPer(reader, price['per'], `${path}.per`),
  };
}

/** The JSON form of a card: what readRateCard reads back to the same card. */
export function writeRateCard(card: RateCard): Record<string, unknown> {
  const decimal = formatRatio;
  const per = (value: Per) => ({ quantity: decimal(value.quantity), unit: value.unit });
  const writePrice = (price: Price): Record<string, unknown> => {
    switch (price.type) {
      case 'per-action':
        return { type: price.type, credits: decimal(price.credits) };
      case 'per-unit':
        return {
          type: price.type,
          credits: decimal(price.credits),
          per: per(price.per),
          multiplier:
            price.multiplier === null
              ? null
              : {
                  property: price.multiplier.property,
                  values: Object.fromEntries(
                    Object.entries(price.multiplier.values).map(([key, value]) => [
                      key,
                      decimal(value),
                    ]),
                  ),
                },
        };
      default:
        return {
          type: price.type,
          per: per(price.per),
          tiers: price.tiers.map((tier) => ({
            upTo: tier.upTo === null ? null : decimal(tier.upTo),
            credits: decimal(tier.credits),
            flat: decimal(tier.flat),
          })),
        };
    }
  };
  return {
    cardId: card.cardId,
    name: card.name,
    creditPrice: { currency: card.currency, microsPerCredit: card.microsPerCredit.toString() },
    period: card.period,
    meters: card.meters.map((meter) => ({
      ...meter,
      filter: { ...meter.filter },
      quantity: { ...meter.quantity },
    })),
    rules: card.rules.map((rule) => ({
      ruleId: rule.ruleId,
      meterId: rule.meterId,
      match: Object.fromEntries(
        Object.entries(rule.match).map(([key, values]) => [key, [...values]]),
      ),
      precedence: rule.precedence,
      price: writePrice(rule.price),
      minimum: rule.minimum === null ? null : decimal(rule.minimum),
      maximum: rule.maximum === null ? null : decimal(rule.maximum),
      rounding: {
        mode: rule.rounding.mode,
        unitMicroCredits: rule.rounding.unitMicroCredits.toString(),
      },
    })),
    providerPrices: card.providerPrices.map((price) => ({
      meterId: price.meterId,
      match: Object.fromEntries(
        Object.entries(price.match).map(([key, values]) => [key, [...values]]),
      ),
      micros: decimal(price.microsPer),
      per: per(price.per),
    })),
  };
}
