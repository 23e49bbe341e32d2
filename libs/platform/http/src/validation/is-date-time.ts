import { ValidateBy, buildMessage, isISO8601, type ValidationOptions } from 'class-validator';

/**
 * ISO 8601 (strict) that JavaScript's Date reads too. class-validator also accepts forms such as
 * the ordinal date "0280001", which `new Date()` turns into Invalid Date, a 500 further on.
 */
export function isDateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    isISO8601(value, { strict: true }) &&
    Number.isFinite(Date.parse(value))
  );
}

export function IsDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateTime',
      validator: {
        validate: (value: unknown) => isDateTime(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an ISO 8601 date-time such as "2027-06-30T00:00:00Z"`,
          options,
        ),
      },
    },
    options,
  );
}
