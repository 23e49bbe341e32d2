import { SetMetadata } from '@nestjs/common';
import type { ApiPrincipal } from './principal';

export const CUSTOMER_ROUTE = 'burndown:customer-route';
/** The handler compares the resource's customer with the key's own (an invoice, a usage event). */
export const CHECKED_BY_HANDLER = Symbol('checked by the handler');

/**
 * The route serves one customer's data, named by this path parameter (`id` on wallet routes,
 * `customerId` elsewhere): a key bound to another customer gets a 404 as if it did not exist.
 * A customer-bound key reaches only routes marked this way or with `@ChecksCustomer()`.
 */
export function ForCustomer(pathParameter: string): ClassDecorator & MethodDecorator {
  return SetMetadata(CUSTOMER_ROUTE, pathParameter);
}

/** The handler itself holds a customer-bound key to its customer (see customerOf). */
export function ChecksCustomer(): ClassDecorator & MethodDecorator {
  return SetMetadata(CUSTOMER_ROUTE, CHECKED_BY_HANDLER);
}

/** Whether the calling key may see a resource of this customer: an unbound key sees every one. */
export function reaches(principal: ApiPrincipal | undefined, customerId: string): boolean {
  return (
    principal === undefined || principal.customerId === null || principal.customerId === customerId
  );
}
