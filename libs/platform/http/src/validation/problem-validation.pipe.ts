import { Injectable, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { validationFailed } from '../problem/problems';
import { toFieldErrors } from './field-errors';

/**
 * The global pipe: unknown fields are refused rather than dropped (a typo must not pass silently),
 * DTO classes are instantiated, and failures become one 400 problem naming every bad field.
 */
@Injectable()
export class ProblemValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => validationFailed(toFieldErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A JSON array or scalar where a DTO object is expected would otherwise slip past class-validator.
    if (
      metadata.type === 'body' &&
      value !== undefined &&
      value !== null &&
      this.toValidate(metadata)
    ) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw validationFailed([{ field: 'body', detail: 'the body must be a JSON object' }]);
      }
    }
    return super.transform(value, metadata);
  }
}
