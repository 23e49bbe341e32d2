import {
  NoResponderError,
  RemoteRequestError,
  RequestTimeoutError,
  subjectMatches,
  type JsonValue,
  type RequestHandler,
  type Subscription,
} from '@burndown/ports';

/**
 * In-process request/reply. Nothing is stored: like NATS core requests, a request without a live
 * responder fails at once, and the payload is copied through JSON so both sides see exactly what
 * a networked bus would carry.
 */
export class Responders {
  private readonly handlers: { readonly pattern: string; readonly handler: RequestHandler }[] = [];

  add(pattern: string, handler: RequestHandler): Subscription {
    const entry = { pattern, handler };
    this.handlers.push(entry);
    return {
      stop: async () => {
        const index = this.handlers.indexOf(entry);
        if (index >= 0) this.handlers.splice(index, 1);
      },
    };
  }

  clear(): void {
    this.handlers.length = 0;
  }

  async request(
    subject: string,
    payload: JsonValue,
    timeoutMs: number,
    headers: Readonly<Record<string, string>>,
  ): Promise<JsonValue> {
    const responder = this.handlers.find((entry) => subjectMatches(entry.pattern, subject));
    if (responder === undefined) throw new NoResponderError(subject);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RequestTimeoutError(subject, timeoutMs)), timeoutMs);
    });
    const reply = (async () => {
      try {
        return viaJson(await responder.handler(viaJson(payload), { ...headers }));
      } catch (error) {
        throw new RemoteRequestError(
          subject,
          error instanceof Error ? error.message : String(error),
        );
      }
    })();
    try {
      return await Promise.race([reply, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function viaJson(value: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
