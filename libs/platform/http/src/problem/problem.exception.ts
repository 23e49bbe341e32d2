import { HttpException } from '@nestjs/common';
import { problemType, type FieldError, type ProblemDetails } from './problem-details';

export interface ProblemInit {
  /** 400–599. */
  readonly status: number;
  /** A slug such as `wallet-not-open` (becomes `urn:burndown:problem:wallet-not-open`) or a full URN. */
  readonly type: string;
  /** Short and the same for every occurrence of this type. */
  readonly title: string;
  /** This occurrence, in words a client developer can act on. */
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  /** Extra response headers, e.g. `Retry-After` on a 503. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The one error a service throws to answer with a specific problem+json. It is an HttpException
 * so Nest (and the Fastify error path) hand it to the problem filter unchanged.
 */
export class ProblemException extends HttpException {
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: ProblemInit) {
    if (!(Number.isInteger(init.status) && init.status >= 400 && init.status <= 599)) {
      throw new RangeError(`a problem status must be 400–599, got ${init.status}`);
    }
    super(init.detail, init.status);
    this.type = problemType(init.type);
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors?.length ? init.errors : undefined;
    this.headers = init.headers ?? {};
  }

  /** The body for this occurrence; `instance` is the request path. */
  toProblem(instance: string): ProblemDetails {
    return {
      type: this.type,
      title: this.title,
      status: this.getStatus(),
      detail: this.detail,
      instance,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}
