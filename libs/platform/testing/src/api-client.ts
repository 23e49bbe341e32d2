import { OpenApiResponseCheck } from './openapi-response-check';

/** Where every Burndown serves its OpenAPI document (as OPENAPI_PATH in @burndown/http). */
const OPENAPI_PATH = '/v1/openapi.json';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
  readonly text: string;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as is, for malformed-JSON cases. */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  /** Overrides the client's key; null sends none. */
  readonly apiKey?: string | null;
}

/**
 * A small HTTP client for end-to-end tests against a running Burndown. Every answer is held to the
 * OpenAPI document the server itself serves (status documented, body matching its schema): an
 * answer the document does not describe fails the test that received it.
 */
export class ApiClient {
  private responseCheck: Promise<OpenApiResponseCheck | undefined> | undefined;

  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
  ) {}

  get = (path: string, options: RequestOptions = {}) => this.send('GET', path, options);
  post = (path: string, body: unknown, options: RequestOptions = {}) =>
    this.send('POST', path, { ...options, body });
  put = (path: string, body: unknown, options: RequestOptions = {}) =>
    this.send('PUT', path, { ...options, body });

  async send(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const key = options.apiKey === undefined ? this.apiKey : options.apiKey;
    const headers: Record<string, string> = {
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    };
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...options.headers },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const answer = { status: response.status, headers: response.headers, body: parsed, text };
    await this.holdToDocument(method, path, answer);
    return answer;
  }

  private async holdToDocument(method: string, path: string, answer: ApiResponse): Promise<void> {
    if (path.startsWith(OPENAPI_PATH)) return;
    this.responseCheck ??= this.loadResponseCheck();
    const check = await this.responseCheck;
    const problems =
      check?.problems(
        method,
        path,
        answer.status,
        answer.headers.get('content-type'),
        answer.body,
        answer.text,
      ) ?? [];
    if (problems.length > 0)
      throw new Error(
        `the answer to ${method} ${path} does not match the served OpenAPI document:\n  ${problems.join('\n  ')}\nbody: ${answer.text.slice(0, 2_000)}`,
      );
  }

  /** The served document; a server that serves none (a stand-in) is not checked. */
  private async loadResponseCheck(): Promise<OpenApiResponseCheck | undefined> {
    const response = await fetch(`${this.baseUrl}${OPENAPI_PATH}`).catch(() => undefined);
    if (response === undefined || response.status !== 200) return undefined;
    return OpenApiResponseCheck.fromDocument((await response.json()) as Record<string, unknown>);
  }
}
