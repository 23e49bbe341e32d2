import type { DynamicModule, LoggerService, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HTTP_PLATFORM_OPTIONS } from '../http-platform.options';
import { OPENAPI_PATH, buildOpenApiDocument } from '../openapi/openapi-document';
import { stringifyJson } from '../serialization/json';
import { acceptJsonBodiesOnly } from './json-body-parser';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem-details';
import { toProblem } from '../problem/to-problem';
import { requestPath } from '../request-path';

export const DEFAULT_BODY_LIMIT_BYTES = 1_048_576;

export interface HttpAppOptions {
  /** Larger bodies are refused with 413 before they are parsed. Default 1 MiB. */
  readonly bodyLimitBytes?: number;
  /** OpenAPI title, e.g. "Burndown wallets". */
  readonly title: string;
  /** OpenAPI version of the API. Default "1.0.0". */
  readonly version?: string;
  /** Nest's logger; tests pass false. */
  readonly logger?: LoggerService | LogLevel[] | false;
}

/**
 * A Nest app on Fastify with the platform's conventions. The root module must import
 * `HttpPlatformModule.forRoot(...)` (guard, pipe, interceptor, filter) and provide READ_STORE.
 * Call `app.init()` (or `app.listen()`, or `listen()`) before serving.
 */
export async function createHttpApp(
  rootModule: Type<unknown> | DynamicModule,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  if (!(Number.isSafeInteger(bodyLimitBytes) && bodyLimitBytes > 0)) {
    throw new RangeError(`bodyLimitBytes must be a positive integer, got ${bodyLimitBytes}`);
  }
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule,
    new FastifyAdapter({ bodyLimit: bodyLimitBytes, frameworkErrors: answerFrameworkError }),
    // Nest's parsers would replace ours at init; the platform registers its own JSON-only parser.
    { bodyParser: false, ...(options.logger === undefined ? {} : { logger: options.logger }) },
  );
  assertPlatformImported(app);
  const fastify = app.getHttpAdapter().getInstance();
  acceptJsonBodiesOnly(fastify);
  fastify.setReplySerializer((payload) => stringifyJson(payload));

  const document = buildOpenApiDocument(app, {
    title: options.title,
    version: options.version ?? '1.0.0',
  });
  // Registered on Fastify, outside Nest's guards: the document is public by design.
  fastify.get(OPENAPI_PATH, (_request, reply) => {
    void reply.type('application/json').send(document);
  });
  app.enableShutdownHooks();
  return app;
}

/**
 * Fastify's router refuses some URLs before Nest sees them (a path parameter over its length
 * limit is a 414, a malformed URL a 400): answered as problem+json like every other error.
 */
function answerFrameworkError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const { problem, headers } = toProblem(error, { instance: requestPath(request.url) });
  void reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}

function assertPlatformImported(app: NestFastifyApplication): void {
  try {
    app.get(HTTP_PLATFORM_OPTIONS, { strict: false });
  } catch {
    throw new Error(
      'createHttpApp: the root module must import HttpPlatformModule.forRoot({ serviceName })',
    );
  }
}
