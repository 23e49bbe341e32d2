import { SetMetadata } from '@nestjs/common';

export const SECRET_RESPONSE = 'burndown:secret-response';

/**
 * The response holds a secret shown once (a new API key). Its Idempotency-Key is still honoured,
 * so a retry does not act twice, but the body is not stored: a retry gets 409 instead of a replay.
 */
export function SecretResponse(): MethodDecorator {
  return SetMetadata(SECRET_RESPONSE, true);
}
