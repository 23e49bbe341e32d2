import type { FieldError } from './problem-details';
import { ProblemException } from './problem.exception';

/** Helpers for the problems every service raises; each names the field at fault when there is one. */

const fieldErrors = (
  field: string | undefined,
  detail: string,
): readonly FieldError[] | undefined => (field === undefined ? undefined : [{ field, detail }]);

/** 400: the request is malformed in a way validation decorators could not express. */
export function badRequest(field: string, detail: string): ProblemException {
  return new ProblemException({
    status: 400,
    type: 'bad-request',
    title: 'Bad request',
    detail,
    errors: [{ field, detail }],
  });
}

/** 400 listing every failing field; what the validation pipe throws. */
export function validationFailed(errors: readonly FieldError[]): ProblemException {
  const fields = [...new Set(errors.map((error) => error.field))];
  return new ProblemException({
    status: 400,
    type: 'validation',
    title: 'Request validation failed',
    detail:
      fields.length === 1
        ? `${fields[0]} is invalid: ${errors[0]?.detail ?? 'see errors'}`
        : `${fields.length} fields are invalid: ${fields.join(', ')}`,
    errors,
  });
}

/** 401; the field is `authorization`, the header that carries the key. */
export function unauthenticated(detail: string): ProblemException {
  return new ProblemException({
    status: 401,
    type: 'unauthenticated',
    title: 'Authentication required',
    detail,
    errors: [{ field: 'authorization', detail }],
    headers: { 'WWW-Authenticate': 'Bearer' },
  });
}

/** 403: the caller is known but may not do this. */
export function forbidden(detail: string, field = 'authorization'): ProblemException {
  return new ProblemException({
    status: 403,
    type: 'forbidden',
    title: 'Forbidden',
    detail,
    errors: fieldErrors(field, detail),
  });
}

export function notFound(detail: string, field?: string): ProblemException {
  return new ProblemException({
    status: 404,
    type: 'not-found',
    title: 'Not found',
    detail,
    errors: fieldErrors(field, detail),
  });
}

export function conflict(detail: string, field?: string): ProblemException {
  return new ProblemException({
    status: 409,
    type: 'conflict',
    title: 'Conflict',
    detail,
    errors: fieldErrors(field, detail),
  });
}

/** 422: well-formed, but the field's value cannot be acted on (unknown customer, reused key …). */
export function unprocessable(field: string, detail: string): ProblemException {
  return new ProblemException({
    status: 422,
    type: 'unprocessable',
    title: 'Unprocessable request',
    detail,
    errors: [{ field, detail }],
  });
}

/** 503 with Retry-After: a dependency did not answer; the same request may succeed shortly. */
export function serviceUnavailable(detail: string, retryAfterSeconds = 1): ProblemException {
  return new ProblemException({
    status: 503,
    type: 'unavailable',
    title: 'Service unavailable',
    detail,
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
