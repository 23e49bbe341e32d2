import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Scope } from './scopes';

export const REQUIRED_SCOPES = 'burndown:required-scopes';
/** Lists the scopes in the OpenAPI document, so client authors know which key to use. */
export const SCOPES_OPERATION_EXTENSION = 'x-burndown-scopes';

/**
 * The key must hold every listed scope (`admin` holds them all). A method's list replaces its
 * controller's. Without this decorator any valid key is enough.
 */
export function RequireScopes(...scopes: [Scope, ...Scope[]]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiExtension(SCOPES_OPERATION_EXTENSION, scopes),
  );
}
