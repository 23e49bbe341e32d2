/** RFC 9457 media type; every error response of every Burndown service carries it. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are URNs: stable identifiers clients can switch on, with no page to host. */
export const PROBLEM_TYPE_PREFIX = 'urn:burndown:problem:';

/** One offending input: `field` is a dotted path (`properties.model`, `events[3].quantity`) or a header name. */
export interface FieldError {
  readonly field: string;
  readonly detail: string;
}

/** The problem+json body (RFC 9457), with `errors` listing every offending field. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly errors?: readonly FieldError[];
}

/** `wallet-not-open` → `urn:burndown:problem:wallet-not-open`; a full URN passes unchanged. */
export function problemType(slugOrUrn: string): string {
  return slugOrUrn.startsWith('urn:') ? slugOrUrn : `${PROBLEM_TYPE_PREFIX}${slugOrUrn}`;
}
