import {
  request as httpRequest,
  type Agent,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http';
import { UpstreamTimeoutError } from './gateway-problems';

/** RFC 9110 §7.6.1: these describe one connection, never the message, so a proxy does not pass them on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Raw header pairs (`[name, value, name, value…]`, repeats kept) without the hop-by-hop ones. */
export function endToEndHeaders(raw: readonly string[], drop: readonly string[] = []): string[] {
  const named = new Set([...HOP_BY_HOP, ...drop]);
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index]?.toLowerCase() === 'connection') {
      for (const listed of (raw[index + 1] ?? '').split(','))
        named.add(listed.trim().toLowerCase());
    }
  }
  const kept: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] as string;
    if (!named.has(name.toLowerCase())) kept.push(name, raw[index + 1] as string);
  }
  return kept;
}

export interface UpstreamRequest {
  /** The service's base URL, e.g. http://127.0.0.1:8083. */
  readonly baseUrl: string;
  readonly method: string;
  /** Path and query, as the client sent them. */
  readonly path: string;
  readonly headers: readonly string[];
  readonly agent: Agent;
  readonly timeoutMs: number;
}

/** Opens the request; a silence of `timeoutMs` ends it with an UpstreamTimeoutError. */
export function openUpstream(init: UpstreamRequest): ClientRequest {
  const target = new URL(init.baseUrl);
  const upstream = httpRequest({
    host: target.hostname,
    port: target.port,
    method: init.method,
    path: init.path,
    headers: [...init.headers, 'host', target.host],
    agent: init.agent,
    timeout: init.timeoutMs,
  });
  upstream.on('timeout', () => upstream.destroy(new UpstreamTimeoutError(init.timeoutMs)));
  return upstream;
}

export interface Exchanged {
  readonly status: number;
  readonly headers: readonly string[];
  readonly body: Buffer;
}

/** A whole request and answer in memory, for the gateway's own small calls (health, documents, keys). */
export function exchange(
  init: UpstreamRequest & { readonly body?: Buffer; readonly maxBytes: number },
): Promise<Exchanged> {
  return new Promise((done, fail) => {
    const upstream = openUpstream(init);
    upstream.once('error', fail);
    upstream.once('response', (answer: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      answer.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > init.maxBytes)
          upstream.destroy(new Error(`answer larger than ${init.maxBytes} bytes`));
        else chunks.push(chunk);
      });
      answer.once('end', () =>
        done({
          status: answer.statusCode ?? 502,
          headers: answer.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
      answer.once('error', fail);
    });
    upstream.end(init.body);
  });
}
