import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { principalOf } from '../auth/principal';
import { sha256Hex } from '../hashing';
import { ProblemException } from '../problem/problem.exception';
import { requestPath } from '../request-path';
import { canonicalJson, stringifyJson } from '../serialization/json';
import { IDEMPOTENCY_KEY_HEADER, readIdempotencyKey } from './idempotency-key';
import { IdempotencyStore, type IdempotencyRecord } from './idempotency-store';
import { KeyedMutex } from './keyed-mutex';
import { SECRET_RESPONSE } from './secret-response.decorator';

export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** The requests whose Idempotency-Key is honoured (and documented on every such operation). */
export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A mutating request with an Idempotency-Key runs once per caller, path and key: its first
 * successful response is stored and a retry with the same body gets that response again, marked
 * `Idempotent-Replayed: true`. Failures are not stored, so a failed request may be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');
  // Two concurrent requests with one key: the second waits and replays instead of running too.
  private readonly inFlight = new KeyedMutex();

  constructor(
    private readonly records: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!MUTATING_METHODS.has(request.method)) return next.handle();
    const key = readIdempotencyKey(request.headers);
    if (key === undefined) return next.handle();

    const path = requestPath(request.url);
    const callerId = principalOf(request)?.keyId ?? 'anonymous';
    const recordId = sha256Hex([callerId, request.method, path, key].join('\n'));
    const fingerprint = sha256Hex(
      canonicalJson({ query: request.query ?? {}, body: request.body ?? null }),
    );
    const reply = context.switchToHttp().getResponse<FastifyReply>();

    return from(
      this.inFlight.run(recordId, async () => {
        const previous = await this.records.get(recordId);
        if (previous !== undefined) return replay(previous, fingerprint, reply);
        const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
        const status = this.successStatus(context, request.method);
        if (status >= 200 && status < 300) {
          await this.remember(recordId, {
            fingerprint,
            status,
            result,
            secret: this.holdsSecret(context),
          });
        }
        return result;
      }),
    );
  }

  /** The status Nest will send: @HttpCode, else 201 for POST and 200 for the rest. */
  private successStatus(context: ExecutionContext, method: string): number {
    return (
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (method === 'POST' ? 201 : 200)
    );
  }

  private holdsSecret(context: ExecutionContext): boolean {
    return this.reflector.get<boolean | undefined>(SECRET_RESPONSE, context.getHandler()) === true;
  }

  private async remember(
    recordId: string,
    {
      fingerprint,
      status,
      result,
      secret,
    }: { fingerprint: string; status: number; result: unknown; secret: boolean },
  ): Promise<void> {
    const body = secret || result === undefined ? undefined : stringifyJson(result);
    try {
      await this.records.save(recordId, {
        fingerprint,
        status,
        secret,
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      // The work is done and its answer is ready; failing now would invite a retry that the command id
      // dedupes anyway. So the client gets its answer and the lost record is logged.
      this.logger.warn(`could not store idempotency record ${recordId}: ${String(error)}`);
    }
  }
}

function replay(previous: IdempotencyRecord, fingerprint: string, reply: FastifyReply): unknown {
  if (previous.fingerprint !== fingerprint) {
    throw new ProblemException({
      status: 422,
      type: 'idempotency-key-reused',
      title: 'Idempotency-Key reused',
      detail:
        'this Idempotency-Key was already used for a request with a different body; use a new key for a new request',
      errors: [
        { field: IDEMPOTENCY_KEY_HEADER, detail: 'already used with a different request body' },
      ],
    });
  }
  if (previous.secret) {
    throw new ProblemException({
      status: 409,
      type: 'idempotent-secret-not-replayable',
      title: 'Response not replayable',
      detail:
        'a request with this Idempotency-Key already succeeded; its response held a secret, which is shown only once',
      errors: [{ field: IDEMPOTENCY_KEY_HEADER, detail: 'already used' }],
    });
  }
  reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return previous.body === undefined ? undefined : JSON.parse(previous.body);
}
