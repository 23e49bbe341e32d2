import 'reflect-metadata';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { HttpPlatformModule } from '@burndown/http';
import { DeadLettersModule } from '../../libs/platform/runtime/src/dead-letters/dead-letters.module';
import { SERVICE_MODULES } from './service-modules';
import { GATEWAY_ROUTES } from './routes';
import { DISTRIBUTED_SERVICES, type ServiceName } from './services';

/** Every route a controller declares, as `[METHOD, /path]` with each `:param` filled in. */
function declaredRoutes(controllers: readonly Type[]): Array<[string, string]> {
  return controllers.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller));
    return Object.getOwnPropertyNames(controller.prototype).flatMap(
      (name): Array<[string, string]> => {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (name === 'constructor' || path === undefined) return [];
        const method = RequestMethod[
          Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod
        ] as string;
        const full = ['', base, path]
          .join('/')
          .replace(/\/+/g, '/')
          .replace(/\/$/, '')
          .replace(/:\w+/g, 'x1');
        return [[method, full]];
      },
    );
  });
}

const controllersOf = (module: Type): Type[] =>
  (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) as Type[] | undefined) ?? [];

describe('the gateway route table', () => {
  it.each<[string, string, ServiceName]>([
    ['POST', '/v1/events', 'ingestion'],
    ['POST', '/v1/events/batch', 'ingestion'],
    ['POST', '/v1/cloudevents', 'ingestion'],
    ['PUT', '/v1/customers/acme/rate-card', 'rating'],
    ['GET', '/v1/customers/acme/rate-card', 'rating'],
    ['GET', '/v1/rate-cards/studio-plan/versions/1', 'rating'],
    ['POST', '/v1/rate-cards/validation', 'rating'],
    ['GET', '/v1/margins', 'rating'],
    ['POST', '/v1/customers', 'wallets'],
    ['GET', '/v1/customers/acme', 'wallets'],
    ['GET', '/v1/customers/acme/rate-cards', 'wallets'],
    ['GET', '/v1/wallets/acme/ledger', 'wallets'],
    ['POST', '/v1/wallets/acme/holds/h-1/settlement', 'wallets'],
    ['HEAD', '/v1/wallets/acme', 'wallets'],
    ['GET', '/v1/entitlements/acme', 'entitlements'],
    ['GET', '/v1/revenue/customers/acme', 'invoicing'],
    ['POST', '/v1/revenue/periods/close', 'invoicing'],
    ['GET', '/v1/dead-letters', 'invoicing'],
    ['POST', '/v1/dead-letters/12/redrive', 'invoicing'],
    ['GET', '/v1/api-keys', 'invoicing'],
  ])('%s %s goes to %s', (method, path, service) => {
    expect(GATEWAY_ROUTES.resolve(method, path)?.service).toBe(service);
  });

  it('copies created, imported and rotated keys to every service, sends revocations to each, and routes no other key write', () => {
    expect(GATEWAY_ROUTES.resolve('POST', '/v1/api-keys')).toMatchObject({
      service: 'invoicing',
      replicate: 'api-keys',
    });
    expect(GATEWAY_ROUTES.resolve('POST', '/v1/api-keys/imports')).toMatchObject({
      service: 'invoicing',
      replicate: 'api-keys',
    });
    expect(GATEWAY_ROUTES.resolve('POST', '/v1/api-keys/key_1/rotation')).toMatchObject({
      service: 'invoicing',
      replicate: 'api-keys',
    });
    expect(GATEWAY_ROUTES.resolve('POST', '/v1/api-keys/key_1/revocation')).toMatchObject({
      service: 'invoicing',
      replicate: 'every-service',
    });
    expect(GATEWAY_ROUTES.resolve('GET', '/v1/api-keys')?.replicate).toBeUndefined();
    expect(GATEWAY_ROUTES.resolve('DELETE', '/v1/api-keys')).toBeUndefined();
    expect(GATEWAY_ROUTES.resolve('POST', '/v1/api-keys/key_1/other')).toBeUndefined();
    expect(GATEWAY_ROUTES.resolve('PUT', '/v1/api-keys/key_1/revocation')).toBeUndefined();
  });

  it.each([['/v1/eventsx'], ['/v1'], ['/'], ['/v2/events'], ['/v1/rate-cardsx/a']])(
    'sends %s nowhere',
    (path) => {
      for (const method of ['GET', 'POST', 'PUT'])
        expect(GATEWAY_ROUTES.resolve(method, path)).toBeUndefined();
    },
  );

  it('needs a customer id before it carves the rate card out of /v1/customers', () => {
    expect(GATEWAY_ROUTES.resolve('PUT', '/v1/customers//rate-card')?.service).toBe('wallets');
  });

  // A controller added to a service without a line here would be unreachable through the gateway.
  it.each(DISTRIBUTED_SERVICES.map(({ name }) => [name] as const))(
    'sends every route the %s service declares to it',
    (name) => {
      for (const [method, path] of declaredRoutes(controllersOf(SERVICE_MODULES[name]))) {
        expect(`${method} ${path} → ${GATEWAY_ROUTES.resolve(method, path)?.service}`).toBe(
          `${method} ${path} → ${name}`,
        );
      }
    },
  );

  it('sends every platform route but /health to one service (the gateway answers /health itself)', () => {
    const platform = declaredRoutes([
      ...controllersOf(DeadLettersModule),
      ...(HttpPlatformModule.forRoot({ serviceName: 'any' }).controllers ?? []),
    ]);
    expect(platform.length).toBeGreaterThan(4);
    for (const [method, path] of platform.filter(([, path]) => path !== '/health')) {
      expect(`${method} ${path} → ${GATEWAY_ROUTES.resolve(method, path)?.service}`).toBe(
        `${method} ${path} → invoicing`,
      );
    }
  });
});
