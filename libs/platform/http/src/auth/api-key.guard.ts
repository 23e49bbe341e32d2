import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator';
import { forbidden, notFound, unauthenticated } from '../problem/problems';
import { CHECKED_BY_HANDLER, CUSTOMER_ROUTE } from './customer-binding.decorator';
import { attachPrincipal, type ApiPrincipal } from './principal';
import { presentedApiKey } from './presented-api-key';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_SCOPES } from './require-scopes.decorator';
import { holdsScope, type Scope } from './scopes';

/** Global: every route needs a valid API key unless it is `@Public()`, plus the scopes it requires. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true)
      return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = presentedApiKey(request.headers);
    if (key === undefined) {
      throw unauthenticated(
        'an API key is required: send "Authorization: Bearer <key>" or "X-Api-Key: <key>"',
      );
    }
    const principal = await this.authenticator.authenticate(key);
    if (principal === undefined) throw unauthenticated('the API key is not valid');

    const required =
      this.reflector.getAllAndOverride<readonly Scope[] | undefined>(REQUIRED_SCOPES, targets) ??
      [];
    const missing = required.filter((scope) => !holdsScope(principal.scopes, scope));
    if (missing.length > 0) {
      throw forbidden(
        `this request needs the ${missing.map((scope) => `"${scope}"`).join(', ')} scope; ` +
          `key ${principal.keyId} has ${principal.scopes.join(', ') || 'no scopes'}`,
      );
    }
    if (principal.customerId !== null) this.holdToCustomer(principal, request, targets);
    attachPrincipal(request, principal);
    return true;
  }

  /** A customer-bound key: its own customer's routes only, another customer's ids do not exist. */
  private holdToCustomer(
    principal: ApiPrincipal,
    request: FastifyRequest,
    targets: Parameters<Reflector['getAllAndOverride']>[1],
  ): void {
    const route = this.reflector.getAllAndOverride<string | symbol | undefined>(
      CUSTOMER_ROUTE,
      targets,
    );
    if (route === CHECKED_BY_HANDLER) return;
    if (typeof route !== 'string')
      throw forbidden(
        `key ${principal.keyId} is bound to customer ${principal.customerId} and reaches only that customer's routes`,
      );
    const named = (request.params as Record<string, string> | undefined)?.[route];
    if (named !== principal.customerId)
      throw notFound(`${route} ${named ?? ''} does not exist`, route);
  }
}
