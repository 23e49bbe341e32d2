import { GatewayRoutes } from './gateway-routes';

describe('gateway routes', () => {
  it('picks the most specific route whatever the order of the table', () => {
    const lines = [
      { path: '/v1/customers', service: 'wallets' },
      { path: '/v1/customers/:id/rate-card', service: 'rating' },
      { path: '/v1/customers/vip', service: 'vip' },
    ];
    for (const table of [lines, [...lines].reverse()]) {
      const routes = new GatewayRoutes(table);
      expect(routes.resolve('GET', '/v1/customers/acme/rate-card')?.service).toBe('rating');
      expect(routes.resolve('GET', '/v1/customers/vip/rate-card')?.service).toBe('rating');
      expect(routes.resolve('GET', '/v1/customers/vip')?.service).toBe('vip');
      expect(routes.resolve('GET', '/v1/customers/acme/ledger')?.service).toBe('wallets');
    }
  });

  it('matches whole segments, methods (HEAD as GET) and exact paths', () => {
    const routes = new GatewayRoutes([
      { path: '/v1/events', service: 'ingestion', methods: ['post'] },
      { path: '/v1/keys', service: 'keys', methods: ['GET'] },
      { path: '/v1/keys', service: 'issuer', methods: ['POST'], exact: true },
    ]);
    expect(routes.resolve('POST', '/v1/events/batch')?.service).toBe('ingestion');
    expect(routes.resolve('POST', '/v1/eventsy')).toBeUndefined();
    expect(routes.resolve('GET', '/v1/events')).toBeUndefined();
    expect(routes.resolve('HEAD', '/v1/keys/k1')?.service).toBe('keys');
    expect(routes.resolve('POST', '/v1/keys')?.service).toBe('issuer');
    expect(routes.resolve('POST', '/v1/keys/k1')).toBeUndefined();
  });

  it('refuses a table where two routes claim the same requests, or a malformed path', () => {
    expect(
      () =>
        new GatewayRoutes([
          { path: '/v1/a/:id', service: 'x' },
          { path: '/v1/a/:key', service: 'y', methods: ['GET'] },
        ]),
    ).toThrow(/claim the same requests/);
    expect(
      () =>
        new GatewayRoutes([
          { path: '/v1/a', service: 'x', methods: ['GET'] },
          { path: '/v1/a', service: 'y', methods: ['POST'] },
        ]),
    ).not.toThrow();
    expect(() => new GatewayRoutes([{ path: 'v1/a', service: 'x' }])).toThrow(/segments/);
    expect(() => new GatewayRoutes([{ path: '/v1/a/', service: 'x' }])).toThrow(/segments/);
  });
});
