import type { Agent } from 'node:http';

/** The code of the error for a service with no address yet: the gateway answers it like a service that is down. */
export const NO_ADDRESS = 'NO_ADDRESS';

/** Where each service answers, looked up per request so a service restarted elsewhere is found. */
export class UpstreamDirectory {
  constructor(
    readonly services: readonly string[],
    private readonly urlOf: (service: string) => string | undefined,
    private readonly agent: Agent,
    private readonly timeoutMs: number,
  ) {}

  target(service: string): {
    readonly baseUrl: string;
    readonly agent: Agent;
    readonly timeoutMs: number;
  } {
    let baseUrl: string | undefined;
    try {
      baseUrl = this.urlOf(service);
    } catch {
      baseUrl = undefined;
    }
    if (baseUrl === undefined)
      throw Object.assign(new Error(`no address for ${service}`), { code: NO_ADDRESS });
    return { baseUrl, agent: this.agent, timeoutMs: this.timeoutMs };
  }
}
