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
import {
  ApiKeyConflictError,
  ApiKeyRepository,
  KEY_ID_PATTERN,
  isLive,
} from './api-key-repository';
import {
  API_KEY,
  API_KEY_PAGE,
  CREATED_API_KEY,
  IMPORTED_API_KEY,
  ROTATED_API_KEY,
} from './api-key-responses.schemas';
import { CreateApiKeyDto } from './create-api-key.dto';
import { ImportApiKeyDto } from './import-api-key.dto';
import { DEFAULT_ROTATION_OVERLAP_SECONDS, RotateApiKeyDto } from './rotate-api-key.dto';

class KeyIdParam {
  @Matches(KEY_ID_PATTERN, { message: 'keyId must be key_ and 16 base62 characters' })
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
    const customerId = body.customerId ?? null;
    if (customerId !== null && body.scopes.includes('admin'))
      throw unprocessable('scopes', 'a key bound to a customer cannot hold the admin scope');
    const { key, record } = await this.keys.create(
      body.name,
      body.scopes,
      undefined,
      expiresAt,
      customerId,
    );
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
    const { keyHash, keyId, name, scopes, createdAt, retires } = body;
    const expiresAt = body.expiresAt ?? null;
    const customerId = body.customerId ?? null;
    try {
      await this.keys.adopt(keyHash, {
        keyId,
        name,
        scopes,
        createdAt,
        expiresAt,
        revokedAt: null,
        customerId,
      });
    } catch (error) {
      if (error instanceof ApiKeyConflictError) throw conflict(error.message, 'keyHash');
      throw error;
    }
    if (retires !== undefined) {
      const retired = await this.keys.retire(retires.keyId, new Date(retires.expiresAt));
      if (retired === undefined)
        throw conflict(`the rotated key ${retires.keyId} is not stored here`, 'retires.keyId');
      this.authenticator.forget(retires.keyId);
    }
    return { keyHash, keyId, name, scopes, createdAt, expiresAt, revokedAt: null, customerId };
  }

  /**
   * A new key with the old one's name, scopes and expiry, shown once; the old key keeps working
   * for the overlap (default a day) and is refused after it. The gateway imports the new key
   * everywhere with the old one's new expiry.
   */
  @Post(':keyId/rotation')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @SecretResponse()
  @ApiOperation({ summary: 'Rotate an API key: a new key now, the old one after an overlap' })
  @Responds(201, ROTATED_API_KEY, 'The new key (store it now) and when the old one stops working')
  async rotate(@Param() { keyId }: KeyIdParam, @Body() body: RotateApiKeyDto) {
    const old = await this.keys.findById(keyId);
    if (old === undefined) throw notFound(`API key ${keyId} does not exist`, 'keyId');
    const now = new Date();
    if (!isLive(old, now))
      throw conflict(`${keyId} is revoked or expired: create a new key instead`, 'keyId');
    const overlapMs = (body.overlapSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS) * 1_000;
    // The new key first: should the retirement fail, both keys work, and nobody is locked out.
    const { key, record } = await this.keys.create(
      old.name,
      old.scopes,
      undefined,
      old.expiresAt === null ? null : new Date(old.expiresAt),
      old.customerId,
    );
    const retired = await this.keys.retire(keyId, new Date(now.getTime() + overlapMs));
    this.authenticator.forget(keyId);
    return { ...record, key, retires: { keyId, expiresAt: retired?.expiresAt } };
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
