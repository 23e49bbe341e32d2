import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Scope } from './scopes';

/** Who is calling: the API key that authenticated the request (never its secret). */
export interface ApiPrincipal {
  readonly keyId: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** A key bound to one customer reaches only that customer's routes and data; null: any. */
  readonly customerId: string | null;
}

// Kept beside the request rather than on it, so the framework's request type needs no augmenting.
const principals = new WeakMap<object, ApiPrincipal>();

export function attachPrincipal(request: object, principal: ApiPrincipal): void {
  principals.set(request, principal);
}

/** Undefined on public routes. */
export function principalOf(request: object): ApiPrincipal | undefined {
  return principals.get(request);
}

/** The authenticated caller; undefined on `@Public()` routes. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ApiPrincipal | undefined =>
    principalOf(context.switchToHttp().getRequest<object>()),
);
