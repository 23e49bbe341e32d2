import type { ServerResponse } from 'node:http';
import { OPENAPI_PATH } from '../openapi/openapi-document';
import { badGateway, sendProblem, upstreamProblem } from './gateway-problems';
import { exchange } from './upstream';
import type { UpstreamDirectory } from './upstream-directory';

const HEALTH_TIMEOUT_MS = 2_000;
const MAX_DOCUMENT_BYTES = 8_388_608;

type Asked =
  | { readonly service: string; readonly status: number; readonly body: unknown }
  | { readonly service: string; readonly error: Error };

/** The same GET to every service at once; each answer or failure kept with the service's name. */
async function askEveryService(
  upstreams: UpstreamDirectory,
  path: string,
  timeoutMs: number,
): Promise<Asked[]> {
  return Promise.all(
    upstreams.services.map(async (service): Promise<Asked> => {
      try {
        const answer = await exchange({
          ...upstreams.target(service),
          timeoutMs,
          method: 'GET',
          path,
          headers: ['accept', 'application/json'],
          maxBytes: MAX_DOCUMENT_BYTES,
        });
        return {
          service,
          status: answer.status,
          body: JSON.parse(answer.body.toString('utf8')) as unknown,
        };
      } catch (error) {
        return { service, error: error as Error };
      }
    }),
  );
}

/** 200 when every service answers its own `/health`, 503 naming the ones that do not. */
export async function sendHealth(
  response: ServerResponse,
  upstreams: UpstreamDirectory,
): Promise<void> {
  const services: Record<string, { status: 'ok' | 'down'; detail?: string }> = {};
  for (const asked of await askEveryService(upstreams, '/health', HEALTH_TIMEOUT_MS)) {
    if ('error' in asked)
      services[asked.service] = {
        status: 'down',
        detail: upstreamProblem(asked.service, asked.error).detail,
      };
    else if (asked.status !== 200)
      services[asked.service] = { status: 'down', detail: `/health answered ${asked.status}` };
    else services[asked.service] = { status: 'ok' };
  }
  const healthy = Object.values(services).every((service) => service.status === 'ok');
  sendJson(response, healthy ? 200 : 503, {
    status: healthy ? 'ok' : 'degraded',
    service: 'gateway',
    services,
  });
}

interface OpenApiDocument {
  readonly info?: Record<string, unknown>;
  readonly paths?: Record<string, Record<string, unknown>>;
  readonly components?: { readonly schemas?: Record<string, unknown> } & Record<string, unknown>;
  readonly tags?: ReadonlyArray<{ readonly name: string }>;
}

/** One OpenAPI document for the whole API: every service's paths, schemas and tags together. */
export async function sendOpenApi(
  response: ServerResponse,
  upstreams: UpstreamDirectory,
  title: string,
  timeoutMs: number,
): Promise<void> {
  const documents: OpenApiDocument[] = [];
  for (const asked of await askEveryService(upstreams, OPENAPI_PATH, timeoutMs)) {
    if ('error' in asked)
      return sendProblem(response, upstreamProblem(asked.service, asked.error), OPENAPI_PATH);
    if (asked.status !== 200)
      return sendProblem(
        response,
        badGateway(
          `the ${asked.service} service answered ${asked.status} for its OpenAPI document`,
        ),
        OPENAPI_PATH,
      );
    documents.push(asked.body as OpenApiDocument);
  }
  sendJson(response, 200, mergeOpenApi(documents, title));
}

/** Shared routes (`/health`, `/v1/api-keys`, `/v1/dead-letters`) appear in every document; the first copy stays. */
export function mergeOpenApi(
  documents: readonly OpenApiDocument[],
  title: string,
): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  const tags = new Map<string, { readonly name: string }>();
  for (const document of documents) {
    for (const [path, operations] of Object.entries(document.paths ?? {}))
      paths[path] = { ...operations, ...paths[path] };
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {}))
      schemas[name] ??= schema;
    for (const tag of document.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }
  const [first] = documents;
  return {
    ...first,
    info: { ...first?.info, title },
    paths,
    components: { ...first?.components, schemas },
    tags: [...tags.values()],
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}
