import type { IncomingMessage, ServerResponse } from 'node:http';
import { hashApiKey } from '../api-keys/api-key-secret';
import { ProblemException } from '../problem/problem.exception';
import { requestPath } from '../request-path';
import { badGateway, sendProblem, upstreamProblem } from './gateway-problems';
import { endToEndHeaders, exchange, type Exchanged } from './upstream';
import type { UpstreamDirectory } from './upstream-directory';

export const API_KEY_IMPORT_PATH = '/v1/api-keys/imports';
/** A key request is a name and a few scopes; anything larger is not one. */
const MAX_KEY_REQUEST_BYTES = 16_384;
const MAX_KEY_ANSWER_BYTES = 65_536;

/**
 * Creates (or imports) a key on the route's service, then imports it by hash into every other
 * service. The answer that holds the key is handed out only once every service knows it: a key
 * that worked on some routes and not on others would fail far from its cause.
 */
export async function replicateApiKey(
  request: IncomingMessage,
  response: ServerResponse,
  issuer: string,
  upstreams: UpstreamDirectory,
): Promise<void> {
  const instance = requestPath(request.url ?? '/');
  const body = await keyRequestBody(request, response, instance);
  if (body === undefined) return;
  let created: Exchanged;
  try {
    created = await forwarder(request, body, upstreams)(issuer);
  } catch (error) {
    sendProblem(response, upstreamProblem(issuer, error as Error), instance);
    return;
  }
  if (created.status === 201) {
    const missing = await importEverywhereElse(
      issuer,
      importOf(created.body),
      callerCredentials(request.rawHeaders),
      upstreams,
    );
    if (missing.length > 0) {
      const detail = `the key was stored by ${issuer} but not by ${missing.join('; ')}; it was not handed out and works nowhere: create it again`;
      sendProblem(response, badGateway(detail), instance);
      return;
    }
  }
  response.writeHead(created.status, endToEndHeaders(created.headers));
  response.end(created.body);
}

/** Each service that did not take the key, with why. */
async function importEverywhereElse(
  issuer: string,
  keyImport: string,
  credentials: readonly string[],
  upstreams: UpstreamDirectory,
): Promise<string[]> {
  const others = upstreams.services.filter((service) => service !== issuer);
  const outcomes = await Promise.all(
    others.map(async (service) => {
      try {
        const answer = await exchange({
          ...upstreams.target(service),
          method: 'POST',
          path: API_KEY_IMPORT_PATH,
          headers: [...credentials, 'content-type', 'application/json'],
          body: Buffer.from(keyImport),
          maxBytes: MAX_KEY_ANSWER_BYTES,
        });
        return answer.status === 201
          ? undefined
          : `${service} (it answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)})`;
      } catch (error) {
        return `${service} (${upstreamProblem(service, error as Error).detail})`;
      }
    }),
  );
  return outcomes.filter((outcome) => outcome !== undefined);
}

/** The import for a created key (whose answer holds the key, hashed here) or for an imported one. */
function importOf(answer: Buffer): string {
  const { key, keyHash, keyId, name, scopes, createdAt, expiresAt, retires, customerId } =
    JSON.parse(answer.toString('utf8')) as Record<string, unknown>;
  return JSON.stringify({
    keyHash: typeof key === 'string' ? hashApiKey(key) : keyHash,
    keyId,
    name,
    scopes,
    createdAt,
    // Every service refuses the key from the same instant.
    ...(typeof expiresAt === 'string' ? { expiresAt } : {}),
    ...(typeof customerId === 'string' ? { customerId } : {}),
    // A rotation: every service retires the old key at the same moment.
    ...(typeof retires === 'object' && retires !== null ? { retires } : {}),
  });
}

/** The caller's own key authorises the imports: the gateway holds no key of its own. */
function callerCredentials(raw: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = (raw[index] as string).toLowerCase();
    if (name === 'authorization' || name === 'x-api-key') kept.push(name, raw[index + 1] as string);
  }
  return kept;
}

async function readLimited(
  request: IncomingMessage,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * A request every service must take (a key's revocation): `first` decides and answers; only when
 * it took the request is it sent to every other service, and the answer goes back once all have
 * taken it. Should one not, the answer is a 502 naming it: send the request again (it is
 * idempotent), since until then that service still accepts the key.
 */
export async function sendToEveryService(
  request: IncomingMessage,
  response: ServerResponse,
  first: string,
  upstreams: UpstreamDirectory,
): Promise<void> {
  const instance = requestPath(request.url ?? '/');
  const body = await keyRequestBody(request, response, instance);
  if (body === undefined) return;
  const send = forwarder(request, body, upstreams);
  let decided: Exchanged;
  try {
    decided = await send(first);
  } catch (error) {
    sendProblem(response, upstreamProblem(first, error as Error), instance);
    return;
  }
  if (decided.status >= 200 && decided.status < 300) {
    const missing = (
      await Promise.all(
        upstreams.services
          .filter((service) => service !== first)
          .map(async (service) => {
            try {
              const answer = await send(service);
              return answer.status >= 200 && answer.status < 300
                ? undefined
                : `${service} (it answered ${answer.status})`;
            } catch (error) {
              return `${service} (${upstreamProblem(service, error as Error).detail})`;
            }
          }),
      )
    ).filter((outcome) => outcome !== undefined);
    if (missing.length > 0) {
      const detail = `${first} took the request but ${missing.join('; ')} did not: send it again`;
      sendProblem(response, badGateway(detail), instance);
      return;
    }
  }
  response.writeHead(decided.status, endToEndHeaders(decided.headers));
  response.end(decided.body);
}

/** The request's body; undefined once a 413 problem has answered a body too large to be a key request. */
async function keyRequestBody(
  request: IncomingMessage,
  response: ServerResponse,
  instance: string,
): Promise<Buffer | undefined> {
  const body = await readLimited(request, MAX_KEY_REQUEST_BYTES);
  if (body !== undefined) return body;
  const detail = `the request body exceeds the size limit of ${MAX_KEY_REQUEST_BYTES} bytes`;
  sendProblem(
    response,
    new ProblemException({
      status: 413,
      type: 'payload-too-large',
      title: 'Request body too large',
      detail,
      errors: [{ field: 'body', detail }],
    }),
    instance,
  );
  return undefined;
}

/** Sends the caller's request, as it came, to one service. */
function forwarder(
  request: IncomingMessage,
  body: Buffer,
  upstreams: UpstreamDirectory,
): (service: string) => Promise<Exchanged> {
  return (service) =>
    exchange({
      ...upstreams.target(service),
      method: request.method ?? 'POST',
      path: request.url ?? '/',
      headers: endToEndHeaders(request.rawHeaders, ['host', 'content-length']),
      body,
      maxBytes: MAX_KEY_ANSWER_BYTES,
    });
}
