import { GatewayRoutes } from '@burndown/http';
import type { ServiceName } from './services';

/**
 * Every service serves the routes of the platform (API keys, dead letters) on its own; the
 * gateway sends them to invoicing. Its answers equal anyone's: dead letters are read from the
 * stream every service shares on the bus, and keys are copied to every service on creation.
 * Invoicing's own routes (revenue reports) are light, so scans of the dead-letter stream and key
 * issuing do not queue behind the usage intake (ingestion), debits (wallets) or rating.
 */
const ADMINISTRATION: ServiceName = 'invoicing';

/**
 * Which service answers each request of the one public URL (`npm run start:distributed`, the
 * distributed end-to-end run). The most specific path wins, so the rating service's
 * `/v1/customers/:id/rate-card` is carved out of the wallets service's `/v1/customers`. A path no
 * line covers is a 404 at the gateway; `/health` and `/v1/openapi.json` are the gateway's own.
 */
export const GATEWAY_ROUTES = new GatewayRoutes<ServiceName>([
  { path: '/v1/events', service: 'ingestion' },
  { path: '/v1/cloudevents', service: 'ingestion' },
  { path: '/v1/rate-cards', service: 'rating' },
  { path: '/v1/margins', service: 'rating' },
  { path: '/v1/customers/:id/rate-card', service: 'rating' },
  { path: '/v1/customers', service: 'wallets' },
  { path: '/v1/wallets', service: 'wallets' },
  { path: '/v1/entitlements', service: 'entitlements' },
  { path: '/v1/revenue', service: 'invoicing' },
  { path: '/v1/plans', service: 'invoicing' },
  { path: '/v1/subscriptions', service: 'invoicing' },
  { path: '/v1/invoices', service: 'invoicing' },
  { path: '/v1/payments', service: 'invoicing' },
  { path: '/v1/dead-letters', service: ADMINISTRATION },
  { path: '/v1/api-keys', methods: ['GET'], service: ADMINISTRATION },
  // Only these write keys; any other key-changing route must be replicated too, so it is a 404 until it is.
  {
    path: '/v1/api-keys',
    methods: ['POST'],
    exact: true,
    service: ADMINISTRATION,
    replicate: 'api-keys',
  },
  {
    path: '/v1/api-keys/imports',
    methods: ['POST'],
    exact: true,
    service: ADMINISTRATION,
    replicate: 'api-keys',
  },
  {
    path: '/v1/api-keys/:keyId/rotation',
    methods: ['POST'],
    exact: true,
    service: ADMINISTRATION,
    replicate: 'api-keys',
  },
  {
    path: '/v1/api-keys/:keyId/revocation',
    methods: ['POST'],
    exact: true,
    service: ADMINISTRATION,
    replicate: 'every-service',
  },
]);
