import type { ValidationError } from 'class-validator';
import type { FieldError } from '../problem/problem-details';

/** A huge invalid array must not produce a huge response; the count still says how many failed. */
export const MAX_FIELD_ERRORS = 100;

/**
 * Flattens class-validator's tree into one entry per failing field, named by its path:
 * `properties.model` for nested objects, `events[3].quantity` for array elements.
 */
export function toFieldErrors(errors: readonly ValidationError[]): FieldError[] {
  const found: FieldError[] = [];
  const visit = (error: ValidationError, parentPath: string, parentIsArray: boolean): void => {
    const path = joinPath(parentPath, error.property, parentIsArray);
    if (error.constraints !== undefined && found.length < MAX_FIELD_ERRORS) {
      found.push({
        field: path === '' ? 'body' : path,
        detail: describe(error, error.constraints),
      });
    }
    for (const child of error.children ?? []) visit(child, path, Array.isArray(error.value));
  };
  for (const error of errors) visit(error, '', false);
  return found;
}

function joinPath(parent: string, property: string, parentIsArray: boolean): string {
  if (property === '') return parent;
  if (parentIsArray && /^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

function describe(error: ValidationError, constraints: Readonly<Record<string, string>>): string {
  return Object.entries(constraints)
    .map(([name, message]) =>
      // class-validator's own wording ("property x should not exist") reads like a bug report.
      name === 'whitelistValidation' ? `${error.property} is not an accepted field` : message,
    )
    .join('; ');
}
