import { Agent, request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

/**
 * POSTs a body over kept-alive sockets. The load generator shares the 2 cores with the deployment
 * it measures: `fetch` (undici, WHATWG streams) cost it ~2 ms of CPU per request, 11 % of a core at
 * 50 requests a second; node:http costs a fraction of that, left to the system under test.
 */
export class HttpPoster {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1_024 });
  private readonly target: URL;

  constructor(
    url: string,
    private readonly headers: Readonly<Record<string, string>>,
  ) {
    this.target = new URL(url);
  }

  post(body: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          agent: this.agent,
          method: 'POST',
          hostname: this.target.hostname,
          port: this.target.port,
          path: this.target.pathname,
          headers: { ...this.headers, 'content-length': Buffer.byteLength(body) },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const retryAfter = incoming.headers['retry-after'];
            resolve({
              status: incoming.statusCode ?? 0,
              retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
