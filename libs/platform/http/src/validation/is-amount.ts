import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';

/** Amounts (credits, money) are integers in the smallest unit; 30 digits is far beyond any real balance. */
export const AMOUNT_MAX_DIGITS = 30;

const AMOUNT_PATTERN = new RegExp(`^(0|[1-9][0-9]{0,${AMOUNT_MAX_DIGITS - 1}})$`);

/** A string of decimal digits: no sign, no leading zeros except "0" itself, at most 30 digits. */
export function isAmount(value: unknown): value is string {
  return typeof value === 'string' && AMOUNT_PATTERN.test(value);
}

/**
 * Amounts travel as strings so JSON numbers never round them (DESIGN.md §4). Parse with
 * `BigInt(value)` after validation.
 */
export function IsAmount(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAmount',
      validator: {
        validate: (value: unknown) => isAmount(value),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be a whole number in the smallest unit, written as a string of digits ` +
            `such as "1500": no sign, no decimal point, no leading zeros, at most ${AMOUNT_MAX_DIGITS} digits`,
          options,
        ),
      },
    },
    options,
  );
}
