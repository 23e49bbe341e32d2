import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from '../problem/problems';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const VISIBLE_ASCII = new RegExp(`^[\\x21-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`);

/** The request's Idempotency-Key; a present but malformed one is a 400 naming the header. */
export function readIdempotencyKey(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['idempotency-key'];
  if (value === undefined) return undefined;
  // Node joins a repeated header with ", ", which the pattern refuses: one request, one key.
  if (typeof value !== 'string' || !VISIBLE_ASCII.test(value)) {
    throw badRequest(
      IDEMPOTENCY_KEY_HEADER,
      `Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters (no spaces)`,
    );
  }
  return value;
}

/**
 * The Idempotency-Key header of the request, or undefined when none was sent. Services use it as
 * the command id, so a retried request is one command.
 */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    readIdempotencyKey(
      context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>().headers,
    ),
);
