import { isDecimalText } from '@burndown/money';
import { parseRatio, type Ratio } from '../pricing/ratio';

/** One thing wrong with a rate card: where (a JSON path) and, inside a rule, which rule. */
export interface CardProblem {
  readonly path: string;
  readonly ruleId: string | null;
  readonly message: string;
}

/**
 * Reads a JSON document field by field and collects every problem instead of stopping at the
 * first, so an author fixes a card in one round. Readers return a placeholder after a problem.
 */
export class JsonReader {
  readonly problems: CardProblem[] = [];

  constructor(private readonly ruleId: string | null = null) {}

  forRule(ruleId: string): JsonReader {
    const reader = new JsonReader(ruleId);
    (reader as { problems: CardProblem[] }).problems = this.problems;
    return reader;
  }

  problem(path: string, message: string): void {
    this.problems.push({ path, ruleId: this.ruleId, message });
  }

  object(value: unknown, path: string): Readonly<Record<string, unknown>> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
    this.problem(path, 'expected an object');
    return {};
  }

  array(value: unknown, path: string): readonly unknown[] {
    if (Array.isArray(value)) return value;
    this.problem(path, 'expected an array');
    return [];
  }

  string(value: unknown, path: string, pattern = /^.{1,200}$/s): string {
    if (typeof value === 'string' && pattern.test(value)) return value;
    this.problem(
      path,
      typeof value === 'string' ? `"${value}" does not match ${pattern}` : 'expected a string',
    );
    return '';
  }

  optionalString(value: unknown, path: string): string | null {
    return value === undefined || value === null ? null : this.string(value, path);
  }

  integer(value: unknown, path: string, fallback: number): number {
    if (value === undefined) return fallback;
    if (Number.isSafeInteger(value)) return value as number;
    this.problem(path, 'expected a whole number');
    return fallback;
  }

  oneOf<T extends string>(value: unknown, path: string, choices: readonly T[], fallback?: T): T {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && (choices as readonly string[]).includes(value))
      return value as T;
    this.problem(path, `expected one of ${choices.join(', ')}`);
    return choices[0] as T;
  }

  /** A non-negative decimal written as a string ("0.003"); a negative one is named as such. */
  decimal(value: unknown, path: string): Ratio {
    if (typeof value === 'string' && isDecimalText(value)) return parseRatio(value);
    if (typeof value === 'string' && /^-/.test(value))
      this.problem(path, `negative rate or amount ${value}: rates are never negative`);
    else this.problem(path, 'expected a non-negative decimal written as a string, such as "0.003"');
    return parseRatio('0');
  }

  optionalDecimal(value: unknown, path: string): Ratio | null {
    return value === undefined || value === null ? null : this.decimal(value, path);
  }

  /** `{ "model": "gpt-4o", "region": ["eu", "us"] }` → every value as a list of accepted strings. */
  match(value: unknown, path: string): Readonly<Record<string, readonly string[]>> {
    if (value === undefined || value === null) return {};
    const record = this.object(value, path);
    const match: Record<string, readonly string[]> = {};
    for (const [dimension, accepted] of Object.entries(record)) {
      const values = Array.isArray(accepted) ? accepted : [accepted];
      if (
        values.length === 0 ||
        !values.every(
          (item) =>
            typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean',
        )
      ) {
        this.problem(`${path}.${dimension}`, 'expected a value or a non-empty list of values');
        continue;
      }
      match[dimension] = values.map(String);
    }
    return match;
  }
}
