import { HttpException } from '@nestjs/common';
import { problemType, type FieldError, type ProblemDetails } from './problem-details';
import { ProblemException } from './problem.exception';
import { statusProblemType } from './status-problem-types';

export interface ProblemContext {
  /** The request path: the problem's `instance`. */
  readonly instance: string;
  /** The limit that applied, so a 413 can say it. */
  readonly bodyLimitBytes?: number;
}

export interface MappedProblem {
  readonly problem: ProblemDetails;
  readonly headers: Readonly<Record<string, string>>;
  /** Not raised on purpose: log it with its stack, tell the client nothing about it. */
  readonly unexpected: boolean;
}

export const UNEXPECTED_DETAIL = 'an unexpected error occurred; it has been logged';

/** Maps anything thrown while serving a request to the problem+json answer. */
export function toProblem(exception: unknown, context: ProblemContext): MappedProblem {
  if (exception instanceof ProblemException) {
    return {
      problem: exception.toProblem(context.instance),
      headers: exception.headers,
      unexpected: false,
    };
  }
  if (exception instanceof HttpException) {
    return {
      problem: fromStatus(exception.getStatus(), messageOf(exception), context),
      headers: {},
      unexpected: false,
    };
  }
  const clientError = fastifyClientError(exception);
  if (clientError !== undefined) {
    return {
      problem: fromStatus(clientError.statusCode, clientError.message, context),
      headers: {},
      unexpected: false,
    };
  }
  const { slug, title } = statusProblemType(500);
  return {
    problem: {
      type: problemType(slug),
      title,
      status: 500,
      detail: UNEXPECTED_DETAIL,
      instance: context.instance,
    },
    headers: {},
    unexpected: true,
  };
}

function fromStatus(status: number, message: string, context: ProblemContext): ProblemDetails {
  const { slug, title } = statusProblemType(status);
  const errors = frameworkFieldErrors(status, context);
  return {
    type: problemType(slug),
    title,
    status,
    detail: errors?.[0]?.detail ?? message,
    instance: context.instance,
    ...(errors ? { errors } : {}),
  };
}

/** Fastify refuses some requests before any handler runs; say which part of the request was at fault. */
function frameworkFieldErrors(
  status: number,
  context: ProblemContext,
): readonly FieldError[] | undefined {
  if (status === 413) {
    const limit = context.bodyLimitBytes === undefined ? '' : ` of ${context.bodyLimitBytes} bytes`;
    return [{ field: 'body', detail: `the request body exceeds the size limit${limit}` }];
  }
  if (status === 415) {
    return [{ field: 'content-type', detail: 'request bodies must be sent as application/json' }];
  }
  return undefined;
}

/** Nest puts the message in `response.message`, sometimes as a list. */
function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** Errors Fastify raises itself carry a 4xx `statusCode`; their messages are written for clients. */
function fastifyClientError(
  exception: unknown,
): { statusCode: number; message: string } | undefined {
  if (!(exception instanceof Error)) return undefined;
  const statusCode = (exception as { statusCode?: unknown }).statusCode;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) return undefined;
  return { statusCode, message: exception.message };
}
