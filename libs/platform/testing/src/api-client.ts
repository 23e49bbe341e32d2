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

/** A small HTTP client for end-to-end tests against a running Burndown. */
export class ApiClient {
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
    return { status: response.status, headers: response.headers, body: parsed, text };
  }
}
