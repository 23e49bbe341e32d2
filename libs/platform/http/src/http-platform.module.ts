import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CLOCK, READ_STORE, systemClock, type Clock, type ReadStore } from '@burndown/ports';
import { ApiKeyAuthenticator } from './api-keys/api-key-authenticator';
import { ApiKeyRepository } from './api-keys/api-key-repository';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeyGuard } from './auth/api-key.guard';
import { HealthController } from './health/health.controller';
import {
  HTTP_PLATFORM_OPTIONS,
  resolveHttpPlatformOptions,
  type HttpPlatformOptions,
  type ResolvedHttpPlatformOptions,
} from './http-platform.options';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { ProblemFilter } from './problem/problem.filter';
import { ProblemValidationPipe } from './validation/problem-validation.pipe';

/**
 * The API conventions, imported once by whatever composes the app: API-key guard, validation pipe,
 * idempotency interceptor, problem filter, `/health` and `/v1/api-keys`. Needs READ_STORE (and
 * optionally CLOCK) from the composing module.
 */
@Module({})
export class HttpPlatformModule {
  static forRoot(options: HttpPlatformOptions): DynamicModule {
    return {
      module: HttpPlatformModule,
      controllers: [HealthController, ApiKeysController],
      providers: [
        { provide: HTTP_PLATFORM_OPTIONS, useValue: resolveHttpPlatformOptions(options) },
        {
          provide: ApiKeyRepository,
          useFactory: (readStore: ReadStore, clock: Clock | undefined) =>
            new ApiKeyRepository(readStore, clock ?? systemClock),
          inject: [READ_STORE, { token: CLOCK, optional: true }],
        },
        {
          provide: IdempotencyStore,
          useFactory: (
            readStore: ReadStore,
            options: ResolvedHttpPlatformOptions,
            clock: Clock | undefined,
          ) => new IdempotencyStore(readStore, clock ?? systemClock, options.idempotencyTtlMs),
          inject: [READ_STORE, HTTP_PLATFORM_OPTIONS, { token: CLOCK, optional: true }],
        },
        ApiKeyAuthenticator,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_PIPE, useClass: ProblemValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [HTTP_PLATFORM_OPTIONS, ApiKeyRepository, ApiKeyAuthenticator],
    };
  }
}
