import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { hashApiKey } from '../api-keys/api-key-secret';
import { GatewayRoutes } from './gateway-routes';
import { HttpGateway } from './http-gateway';

type Handler = (request: IncomingMessage, body: Buffer, response: ServerResponse) => void;

/** A stand-in service on a free port: records what reached it and answers with `handler`. */
async function fakeService(handler: Handler): Promise<{
  url: string;
  seen: Array<{ method: string; url: string; body: string }>;
  server: Server;
}> {
  const seen: Array<{ method: string; url: string; body: string }> = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      body: body.toString('utf8'),
    });
    handler(request, body, response);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', () => listening()));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, seen, server };
}

const json = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};

describe('the HTTP gateway', () => {
  let alpha: Awaited<ReturnType<typeof fakeService>>;
  let beta: Awaited<ReturnType<typeof fakeService>>;
  let gateway: HttpGateway;
  const urls: Record<string, string> = {};
  let betaAnswersImports = true;

  beforeAll(async () => {
    alpha = await fakeService((request, body, response) => {
      if (request.url === '/v1/alpha/limited') {
        response.writeHead(
          503,
          [
            ['content-type', 'application/problem+json'],
            ['retry-after', '7'],
            ['set-cookie', 'a=1'],
            ['set-cookie', 'b=2'],
          ].flat(),
        );
        return response.end(JSON.stringify({ status: 503, title: 'Service unavailable' }));
      }
      if (request.url === '/v1/alpha/silent') return;
      if (request.url === '/v1/api-keys')
        return json(
          response,
          201,
          {
            keyId: 'key_0123456789abcdef',
            name: 'n',
            scopes: ['ingest'],
            createdAt: '2026-01-01T00:00:00.000Z',
            key: 'bd_secret',
          },
          { 'cache-control': 'no-store' },
        );
      if (request.url === '/health') return json(response, 200, { status: 'ok' });
      if (request.url === '/v1/openapi.json')
        return json(response, 200, {
          openapi: '3.0.0',
          info: { title: 'alpha' },
          paths: { '/v1/alpha': { get: {} }, '/health': { get: { a: 1 } } },
          tags: [{ name: 'alpha' }],
        });
      json(response, 200, {
        method: request.method,
        url: request.url,
        bytes: body.length,
        forwardedFor: request.headers['x-forwarded-for'],
        trace: request.headers['traceparent'],
      });
    });
    beta = await fakeService((request, _body, response) => {
      if (request.url === '/v1/api-keys/imports')
        return betaAnswersImports ? json(response, 201, {}) : json(response, 503, {});
      if (request.url === '/v1/openapi.json')
        return json(response, 200, {
          openapi: '3.0.0',
          info: { title: 'beta' },
          paths: { '/v1/beta/{id}': { put: {} }, '/health': { get: { b: 1 } } },
          tags: [{ name: 'beta' }],
        });
      json(response, 200, { status: 'ok' });
    });
    Object.assign(urls, { alpha: alpha.url, beta: beta.url, gamma: 'http://127.0.0.1:1' });
    gateway = await HttpGateway.start({
      routes: new GatewayRoutes([
        { path: '/v1/alpha', service: 'alpha' },
        { path: '/v1/beta/:id', service: 'beta' },
        { path: '/v1/gamma', service: 'gamma' },
        {
          path: '/v1/api-keys',
          service: 'alpha',
          methods: ['POST'],
          exact: true,
          replicate: 'api-keys',
        },
      ]),
      services: ['alpha', 'beta'],
      upstream: (service) => urls[service],
      upstreamTimeoutMs: 500,
    });
  });
  afterAll(async () => {
    await gateway?.close();
    for (const service of [alpha, beta]) await new Promise((done) => service?.server.close(done));
  });

  const send = (path: string, init: RequestInit = {}) => fetch(`${gateway.url}${path}`, init);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the specs inspect arbitrary JSON
  const bodyOf = async (answer: Response): Promise<any> => answer.json();

  it('streams method, path, query and body to the owning service and its answer back', async () => {
    const body = 'x'.repeat(2_000_000);
    const answer = await send('/v1/alpha/items?limit=5', {
      method: 'POST',
      body,
      headers: { traceparent: '00-abc-def-01' },
    });
    expect(answer.status).toBe(200);
    expect(await bodyOf(answer)).toEqual({
      method: 'POST',
      url: '/v1/alpha/items?limit=5',
      bytes: 2_000_000,
      forwardedFor: '127.0.0.1',
      trace: '00-abc-def-01',
    });
    expect((await send('/v1/beta/7')).status).toBe(200);
    expect(beta.seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/beta/7' });
  });

  it('keeps the status, Retry-After, problem+json and repeated headers of an answer', async () => {
    const answer = await send('/v1/alpha/limited');
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('answers 404 problem+json for a path no service owns', async () => {
    const answer = await send('/v1/nobody/here');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await bodyOf(answer)).toMatchObject({
      status: 404,
      instance: '/v1/nobody/here',
      errors: [{ field: 'path' }],
    });
  });

  it('answers 503 naming a service that is down, and 504 naming one that is silent', async () => {
    const down = await send('/v1/gamma/x');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('1');
    expect(down.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await bodyOf(down)).detail).toMatch(/^the gamma service is not answering/);
    const silent = await send('/v1/alpha/silent');
    expect(silent.status).toBe(504);
    expect((await bodyOf(silent)).detail).toMatch(/alpha service gave no answer within 500 ms/);
  });

  it('reports every service on /health and merges their OpenAPI documents', async () => {
    const health = await send('/health');
    expect(health.status).toBe(200);
    expect(await bodyOf(health)).toEqual({
      status: 'ok',
      service: 'gateway',
      services: { alpha: { status: 'ok' }, beta: { status: 'ok' } },
    });
    const document = await bodyOf(await send('/v1/openapi.json'));
    expect(document.info.title).toBe('Burndown');
    expect(document.paths).toEqual({
      '/v1/alpha': { get: {} },
      '/v1/beta/{id}': { put: {} },
      '/health': { get: { a: 1 } },
    });
    expect(document.tags).toEqual([{ name: 'alpha' }, { name: 'beta' }]);
  });

  it('copies a created key to every other service by hash, and hands it out only when all took it', async () => {
    const created = await send('/v1/api-keys', {
      method: 'POST',
      body: '{"name":"n","scopes":["ingest"]}',
      headers: { authorization: 'Bearer bd_admin', 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect((await bodyOf(created)).key).toBe('bd_secret');
    const imported = JSON.parse(beta.seen.at(-1)?.body ?? '{}');
    expect(imported).toEqual({
      keyHash: hashApiKey('bd_secret'),
      keyId: 'key_0123456789abcdef',
      name: 'n',
      scopes: ['ingest'],
      createdAt: '2026-01-01T00:00:00.000Z',
    });

    betaAnswersImports = false;
    const refused = await send('/v1/api-keys', {
      method: 'POST',
      body: '{}',
      headers: { authorization: 'Bearer bd_admin' },
    });
    betaAnswersImports = true;
    expect(refused.status).toBe(502);
    const problem = await refused.text();
    expect(problem).toMatch(/stored by alpha but not by beta \(it answered 503/);
    expect(problem).not.toContain('bd_secret');
  });

  it('refuses a health check while a service is down, naming it', async () => {
    urls['beta'] = 'http://127.0.0.1:1';
    const health = await send('/health');
    urls['beta'] = beta.url;
    expect(health.status).toBe(503);
    expect((await bodyOf(health)).services.beta).toMatchObject({
      status: 'down',
      detail: expect.stringMatching(/^the beta service is not answering/),
    });
  });
});
