import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Matches } from 'class-validator';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/require-scopes.decorator';
import { SecretResponse } from '../idempotency/secret-response.decorator';
import { Responds } from '../openapi/documented-responses';
import { PageQueryDto } from '../pagination/page-query.dto';
import { toPageResponse } from '../pagination/page-response';
import { conflict, notFound, unprocessable } from '../problem/problems';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyConflictError, ApiKeyRepository } from './api-key-repository';
import {
  API_KEY,
  API_KEY_PAGE,
  CREATED_API_KEY,
  IMPORTED_API_KEY,
} from './api-key-responses.schemas';
import { CreateApiKeyDto } from './create-api-key.dto';
import { ImportApiKeyDto } from './import-api-key.dto';

class KeyIdParam {
  @Matches(/^key_[0-9A-Za-z]{16}$/, { message: 'keyId must be key_ and 16 base62 characters' })
  readonly keyId!: string;
}

@ApiTags('api keys')
@Controller('v1/api-keys')
@RequireScopes('admin')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  /** The only response that ever holds the key: store it now, it cannot be shown again. */
  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @SecretResponse()
  @ApiOperation({ summary: 'Create an API key (shown once)' })
  @Responds(
    201,
    CREATED_API_KEY,
    'The key and its record: store the key now, it cannot be shown again',
  )
  async create(@Body() body: CreateApiKeyDto) {
    const expiresAt = body.expiresAt === undefined ? null : new Date(body.expiresAt);
    if (expiresAt !== null && expiresAt.getTime() <= Date.now())
      throw unprocessable('expiresAt', 'expiresAt must be in the future');
    const { key, record } = await this.keys.create(body.name, body.scopes, undefined, expiresAt);
    return { ...record, key };
  }

  /**
   * Stores a key created by another service (its hash, never the key), so one key works on every
   * service of a distributed install; the gateway sends this after each creation. Repeatable.
   */
  @Post('imports')
  @HttpCode(201)
  @ApiOperation({ summary: 'Import a key created by another service, by its hash' })
  @Responds(201, IMPORTED_API_KEY, 'The key is stored (or already was, identically)')
  async adopt(@Body() body: ImportApiKeyDto) {
    const { keyHash, keyId, name, scopes, createdAt } = body;
    const expiresAt = body.expiresAt ?? null;
    try {
      await this.keys.adopt(keyHash, {
        keyId,
        name,
        scopes,
        createdAt,
        expiresAt,
        revokedAt: null,
      });
    } catch (error) {
      if (error instanceof ApiKeyConflictError) throw conflict(error.message, 'keyHash');
      throw error;
    }
    return { keyHash, keyId, name, scopes, createdAt, expiresAt, revokedAt: null };
  }

  /**
   * Refused from now on, on every service (the gateway sends this to each; each forgets its
   * cached hit at once). Repeating it answers the first revocation. The last live admin key
   * cannot be revoked: nobody could manage keys any more.
   */
  @Post(':keyId/revocation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key, at once, on every service' })
  @Responds(200, API_KEY, 'The key, revoked')
  async revoke(@Param() { keyId }: KeyIdParam) {
    const existing = (await this.keys.live(new Date())).filter((key) =>
      key.scopes.includes('admin'),
    );
    if (existing.length === 1 && existing[0]?.keyId === keyId)
      throw conflict(
        `${keyId} is the last live admin key; create another admin key first`,
        'keyId',
      );
    const revoked = await this.keys.revoke(keyId);
    if (revoked === undefined) throw notFound(`API key ${keyId} does not exist`, 'keyId');
    this.authenticator.forget(keyId);
    return revoked;
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (never the keys themselves)' })
  @Responds(200, API_KEY_PAGE)
  async list(@Query() page: PageQueryDto) {
    return toPageResponse(await this.keys.list(page));
  }
}
