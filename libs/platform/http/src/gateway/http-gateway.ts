import {
  Agent,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { OPENAPI_PATH } from '../openapi/openapi-document';
import { ProblemException } from '../problem/problem.exception';
import { badRequest, notFound } from '../problem/problems';
import { UNEXPECTED_DETAIL } from '../problem/to-problem';
import { requestPath } from '../request-path';
import { replicateApiKey, sendToEveryService } from './api-key-replication';
import { sendProblem } from './gateway-problems';
import type { GatewayRoutes } from './gateway-routes';
import { proxyRequest } from './proxy';
import { sendHealth, sendOpenApi } from './service-overview';
import { UpstreamDirectory } from './upstream-directory';

export interface HttpGatewayOptions<S extends string> {
  readonly routes: GatewayRoutes<S>;
  readonly services: readonly S[];
  /** Where a service answers now (`http://host:port`); read on every request. */
  readonly upstream: (service: S) => string | undefined;
  readonly host?: string;
  /** 0 (the default): any free port. */
  readonly port?: number;
  /** Title of the merged OpenAPI document. */
  readonly title?: string;
  /** A service silent for this long is answered with 504. Default 60 s. */
  readonly upstreamTimeoutMs?: number;
}

/** Sockets per service kept open for reuse; more concurrent requests than this wait for one. */
const MAX_SOCKETS_PER_SERVICE = 256;

/**
 * One URL in front of services that each own part of the API: routes each request by method and
 * path to its service and streams the answer back. It serves `/health` (every service's) and the
 * merged OpenAPI document itself, and makes a created API key known to every service.
 */
export class HttpGateway {
  private constructor(
    private readonly server: Server,
    private readonly agent: Agent,
    readonly url: string,
  ) {}

  static async start<S extends string>(options: HttpGatewayOptions<S>): Promise<HttpGateway> {
    const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_SERVICE });
    const timeoutMs = options.upstreamTimeoutMs ?? 60_000;
    // Only names the route table produced reach `upstream`, so widening S to string loses nothing.
    const upstreams = new UpstreamDirectory(
      options.services,
      (service) => options.upstream(service as S),
      agent,
      timeoutMs,
    );
    const handle = dispatcher(options.routes, upstreams, options.title ?? 'Burndown', timeoutMs);
    const server = createServer((request, response) => {
      handle(request, response).catch((error: unknown) => {
        console.error(`gateway: ${request.method} ${request.url} failed unexpectedly`, error);
        if (response.headersSent) response.destroy();
        else
          sendProblem(
            response,
            new ProblemException({
              status: 500,
              type: 'internal',
              title: 'Internal error',
              detail: UNEXPECTED_DETAIL,
            }),
            requestPath(request.url ?? '/'),
          );
      });
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((listening, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, host, () => listening());
    });
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.port;
    return new HttpGateway(server, agent, `http://${host}:${port}`);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((done) => this.server.close(() => done()));
    this.server.closeAllConnections();
    this.agent.destroy();
    await closed;
  }
}

function dispatcher(
  routes: GatewayRoutes<string>,
  upstreams: UpstreamDirectory,
  title: string,
  timeoutMs: number,
) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = request.url ?? '';
    const method = request.method ?? 'GET';
    if (!url.startsWith('/'))
      return sendProblem(
        response,
        badRequest('path', 'the request target must be a path starting with /'),
        '/',
      );
    const path = requestPath(url);
    const reads = method === 'GET' || method === 'HEAD';
    if (path === '/health' && reads) return sendHealth(response, upstreams);
    if (path === OPENAPI_PATH && reads) return sendOpenApi(response, upstreams, title, timeoutMs);
    const route = routes.resolve(method, path);
    if (route === undefined)
      return sendProblem(response, notFound(`no service answers ${method} ${path}`, 'path'), path);
    if (route.replicate === 'api-keys')
      return replicateApiKey(request, response, route.service, upstreams);
    if (route.replicate === 'every-service')
      return sendToEveryService(request, response, route.service, upstreams);
    proxyRequest(request, response, route.service, upstreams);
  };
}
