import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestPath } from '../request-path';
import { sendProblem, upstreamProblem } from './gateway-problems';
import { endToEndHeaders, openUpstream } from './upstream';
import type { UpstreamDirectory } from './upstream-directory';

/**
 * Streams the request to the service and its answer back unchanged (status, headers such as
 * Retry-After and problem+json content types, body); neither side is buffered, so a large batch
 * costs the gateway no more memory than a small one.
 */
export function proxyRequest(
  request: IncomingMessage,
  response: ServerResponse,
  service: string,
  upstreams: UpstreamDirectory,
): void {
  const url = request.url ?? '/';
  let target: ReturnType<UpstreamDirectory['target']>;
  try {
    target = upstreams.target(service);
  } catch (error) {
    sendProblem(response, upstreamProblem(service, error as Error), requestPath(url));
    return;
  }
  const upstream = openUpstream({
    ...target,
    method: request.method ?? 'GET',
    path: url,
    headers: forwardedHeaders(request),
  });
  upstream.once('response', (answer) => {
    response.writeHead(
      answer.statusCode ?? 502,
      answer.statusMessage,
      endToEndHeaders(answer.rawHeaders),
    );
    answer.pipe(response);
    // The service died mid-answer: the client must see a broken response, not a short one that looks whole.
    answer.once('error', () => response.destroy());
  });
  upstream.once('error', (error) => {
    // Once the answer is complete, a late error (say the rest of a refused body) changes nothing for the client.
    if (response.headersSent) {
      if (!response.writableFinished) response.destroy();
    } else sendProblem(response, upstreamProblem(service, error), requestPath(url));
  });
  request.once('error', () => upstream.destroy());
  response.once('close', () => {
    if (!response.writableFinished) upstream.destroy();
  });
  request.pipe(upstream);
}

function forwardedHeaders(request: IncomingMessage): string[] {
  const headers = endToEndHeaders(request.rawHeaders, [
    'host',
    'x-forwarded-for',
    'x-forwarded-host',
    'x-forwarded-proto',
  ]);
  const client = request.socket.remoteAddress ?? 'unknown';
  const priorHops = request.headers['x-forwarded-for'];
  headers.push(
    'x-forwarded-for',
    priorHops === undefined ? client : `${String(priorHops)}, ${client}`,
  );
  if (request.headers.host !== undefined) headers.push('x-forwarded-host', request.headers.host);
  headers.push('x-forwarded-proto', 'http');
  return headers;
}
