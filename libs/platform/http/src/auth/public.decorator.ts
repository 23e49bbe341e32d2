import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'burndown:public';
/** Marks public operations in the OpenAPI document until the document builder clears their security. */
export const PUBLIC_OPERATION_EXTENSION = 'x-burndown-public';

/** The route (or every route of the controller) answers without an API key. */
export function Public(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(IS_PUBLIC, true),
    ApiExtension(PUBLIC_OPERATION_EXTENSION, true),
  );
}
