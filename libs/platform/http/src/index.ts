// Bootstrap
export * from './bootstrap/create-http-app';
export * from './bootstrap/listen';
export { rawBodyOf } from './bootstrap/json-body-parser';
export * from './http-platform.module';
export * from './http-platform.options';
export * from './openapi/openapi-document';
export * from './openapi/documented-responses';
export * from './openapi/problem-schema';
export * from './openapi/schema-kit';

// Errors (RFC 9457)
export * from './problem/problem-details';
export * from './problem/problem.exception';
export * from './problem/problems';
export * from './problem/problem.filter';
export * from './problem/to-problem';

// Validation
export * from './validation/is-date-time';
export * from './validation/is-amount';
export * from './validation/is-quantity';
export * from './validation/customer-id.param';
export * from './validation/field-errors';
export * from './validation/problem-validation.pipe';

// API keys and scopes
export * from './auth/scopes';
export * from './auth/principal';
export * from './auth/public.decorator';
export * from './auth/customer-binding.decorator';
export * from './auth/require-scopes.decorator';
export * from './auth/api-key.guard';
export * from './api-keys/api-key-secret';
export * from './api-keys/api-key-repository';
export * from './api-keys/api-key-authenticator';
export * from './api-keys/development-key';

// Idempotency
export * from './idempotency/idempotency-key';
export * from './idempotency/idempotency.interceptor';
export * from './idempotency/idempotency-store';
export * from './idempotency/secret-response.decorator';

// Pagination and JSON
export * from './pagination/page-query.dto';
export * from './pagination/page-response';
export * from './pagination/find-page';
export * from './serialization/json';

// Gateway: one URL in front of the distributed services
export * from './gateway/gateway-routes';
export * from './gateway/http-gateway';
