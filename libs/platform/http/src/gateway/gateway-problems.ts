import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem-details';
import { ProblemException } from '../problem/problem.exception';
import { serviceUnavailable } from '../problem/problems';
import { NO_ADDRESS } from './upstream-directory';

/** The gateway's own answers are problem+json like every service's. */
export function sendProblem(
  response: ServerResponse,
  problem: ProblemException,
  instance: string,
): void {
  const body = JSON.stringify(problem.toProblem(instance));
  response.writeHead(problem.getStatus(), {
    ...problem.headers,
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(body)),
  });
  response.end(body);
}

export class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** Nothing listens there: the service is down or restarting, so the same request may work shortly. */
const NOT_LISTENING = new Set([
  NO_ADDRESS,
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What a failed exchange with a service means for the client, naming the service. */
export function upstreamProblem(service: string, error: Error): ProblemException {
  if (error instanceof UpstreamTimeoutError) {
    return new ProblemException({
      status: 504,
      type: 'gateway-timeout',
      title: 'Gateway timeout',
      detail: `the ${service} service gave no answer within ${error.timeoutMs} ms`,
    });
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && NOT_LISTENING.has(code)) return serviceDown(service, code);
  return badGateway(`the ${service} service broke off the exchange (${code ?? error.message})`);
}

export function serviceDown(service: string, reason: string): ProblemException {
  return serviceUnavailable(
    `the ${service} service is not answering (${reason}); it may be restarting`,
  );
}

export function badGateway(detail: string): ProblemException {
  return new ProblemException({ status: 502, type: 'bad-gateway', title: 'Bad gateway', detail });
}
