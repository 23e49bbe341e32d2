import {
  Body,
  Controller,
  Get,
  Global,
  HttpCode,
  Inject,
  Module,
  Post,
  Query,
  type DynamicModule,
} from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { READ_STORE, type ReadStore } from '@burndown/ports';
import { ApiKeyRepository } from '../api-keys/api-key-repository';
import { CurrentPrincipal, type ApiPrincipal } from '../auth/principal';
import { Public } from '../auth/public.decorator';
import { RequireScopes } from '../auth/require-scopes.decorator';
import { createHttpApp } from '../bootstrap/create-http-app';
import { HttpPlatformModule } from '../http-platform.module';
import { IdempotencyKey } from '../idempotency/idempotency-key';
import { findPage } from '../pagination/find-page';
import { PageQueryDto } from '../pagination/page-query.dto';
import { toPageResponse } from '../pagination/page-response';
import { IsAmount } from '../validation/is-amount';
import { IsQuantity } from '../validation/is-quantity';

// A stand-in service for the platform's HTTP tests; the specs pass the read store in.

export const SAMPLES_COLLECTION = 'samples';
export const LEAKY_ERROR_MESSAGE = 'connection to db://admin:hunter2@10.0.0.7 refused';

export class SamplePropertiesDto {
  @IsString()
  readonly model!: string;
}

export class SampleLineDto {
  @IsQuantity()
  readonly quantity!: string | number;
}

export class CreateSampleDto {
  @ApiProperty()
  @IsString()
  @Length(1, 64)
  readonly name!: string;

  @ApiProperty({ example: '1500' })
  @IsAmount()
  readonly amount!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => SamplePropertiesDto)
  readonly properties?: SamplePropertiesDto;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SampleLineDto)
  readonly lines?: SampleLineDto[];
}

@Controller('v1/samples')
export class SampleController {
  /** Every call that reached the handler, to prove a replay did not. */
  readonly calls: CreateSampleDto[] = [];

  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  @Post()
  @RequireScopes('ingest')
  create(
    @Body() body: CreateSampleDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: ApiPrincipal | undefined,
  ) {
    this.calls.push(body);
    return {
      call: this.calls.length,
      name: body.name,
      // A bigint on purpose: the platform must write it as a string.
      amount: BigInt(body.amount),
      idempotencyKey: idempotencyKey ?? null,
      keyId: principal?.keyId ?? null,
      isDto: body instanceof CreateSampleDto,
    };
  }

  @Get()
  @RequireScopes('read')
  async list(@Query() page: PageQueryDto) {
    return toPageResponse(
      await findPage(this.readStore, SAMPLES_COLLECTION, page),
      (stored) => stored.document,
    );
  }

  @Post('admin-only')
  @HttpCode(200)
  @RequireScopes('admin')
  adminOnly() {
    return { ok: true };
  }

  @Post('rejected')
  @RequireScopes('ingest')
  rejected(): never {
    this.calls.push({ name: 'rejected', amount: '0' });
    throw new Error(LEAKY_ERROR_MESSAGE);
  }

  @Get('boom')
  @RequireScopes('read')
  boom(): never {
    throw new Error(LEAKY_ERROR_MESSAGE);
  }

  @Get('open')
  @Public()
  open() {
    return { open: true };
  }
}

@Global()
@Module({})
class SampleStoreModule {
  static with(readStore: ReadStore): DynamicModule {
    return {
      module: SampleStoreModule,
      providers: [{ provide: READ_STORE, useValue: readStore }],
      exports: [READ_STORE],
    };
  }
}

export interface SampleApp {
  readonly app: NestFastifyApplication;
  readonly controller: SampleController;
  /** Plaintext keys holding exactly the named scope. */
  readonly keys: { readonly admin: string; readonly ingest: string; readonly read: string };
  close(): Promise<void>;
}

export async function startSampleApp(
  readStore: ReadStore,
  options: { bodyLimitBytes?: number } = {},
): Promise<SampleApp> {
  @Module({
    imports: [
      SampleStoreModule.with(readStore),
      HttpPlatformModule.forRoot({ serviceName: 'sample' }),
    ],
    controllers: [SampleController],
  })
  class SampleRootModule {}

  const app = await createHttpApp(SampleRootModule, { title: 'Sample', logger: false, ...options });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const repository = app.get(ApiKeyRepository);
  const keyFor = async (scope: 'admin' | 'ingest' | 'read') =>
    (await repository.create(`${scope} key`, [scope])).key;
  return {
    app,
    controller: app.get(SampleController),
    keys: {
      admin: await keyFor('admin'),
      ingest: await keyFor('ingest'),
      read: await keyFor('read'),
    },
    close: () => app.close(),
  };
}
