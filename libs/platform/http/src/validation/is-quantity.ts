import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';

export const QUANTITY_MAX_INTEGER_DIGITS = 30;
export const QUANTITY_MAX_FRACTION_DIGITS = 18;

const QUANTITY_PATTERN = new RegExp(
  `^(0|[1-9][0-9]{0,${QUANTITY_MAX_INTEGER_DIGITS - 1}})(\\.[0-9]{1,${QUANTITY_MAX_FRACTION_DIGITS}})?$`,
);

/**
 * A non-negative decimal string ("1500", "0.25"; no sign, exponent or leading zeros) or a
 * non-negative JSON integer no larger than Number.MAX_SAFE_INTEGER (beyond it, JSON numbers round).
 */
export function isQuantity(value: unknown): value is string | number {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  return typeof value === 'string' && QUANTITY_PATTERN.test(value);
}

/** Usage quantities: fractional units are allowed (GPU-hours), floating point is not. */
export function IsQuantity(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isQuantity',
      validator: {
        validate: (value: unknown) => isQuantity(value),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be a non-negative decimal written as a string, such as "1500" or "0.25" ` +
            `(at most ${QUANTITY_MAX_FRACTION_DIGITS} fraction digits, no exponent, no leading zeros), ` +
            'or a non-negative JSON integer no larger than 9007199254740991',
          options,
        ),
      },
    },
    options,
  );
}
