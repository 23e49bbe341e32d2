import { SCOPES } from '../auth/scopes';
import { namedSchema } from '../openapi/documented-responses';
import { arrayOf, enumSchema, objectSchema, pageSchema, stringSchema } from '../openapi/schema-kit';

// The bodies ApiKeysController answers (see ApiKeyRecord). Never the key, except once on creation.

const apiKeyFields = {
  keyId: { type: 'string', example: 'key_3kTMd8h5Ws0vQp7x' },
  name: stringSchema,
  scopes: arrayOf(enumSchema(SCOPES)),
  // Imported keys keep the createdAt they were sent with: strict ISO 8601, possibly a bare date.
  createdAt: { type: 'string', description: 'ISO 8601', example: '2026-01-01T00:00:00.000Z' },
  expiresAt: {
    type: 'string',
    nullable: true,
    description: 'ISO 8601; from then on the key is refused. null: it does not expire',
  },
  revokedAt: {
    type: 'string',
    nullable: true,
    description: 'ISO 8601; when the key was revoked. null: it is not',
  },
  customerId: {
    type: 'string',
    nullable: true,
    description: 'The one customer the key serves; null: every customer',
  },
} as const;

/** A stored API key as listings show it. */
export const API_KEY = namedSchema('ApiKey', objectSchema(apiKeyFields));

/** POST /v1/api-keys: the only answer that ever holds the key. */
export const CREATED_API_KEY = namedSchema(
  'CreatedApiKey',
  objectSchema({
    ...apiKeyFields,
    key: {
      type: 'string',
      description: 'The API key: store it now, it cannot be shown again',
      pattern: '^bd_[0-9A-Za-z]{40}$',
    },
  }),
);

/** POST /v1/api-keys/{keyId}/rotation: the new key, once, and the old key's last moment. */
export const ROTATED_API_KEY = namedSchema(
  'RotatedApiKey',
  objectSchema({
    ...CREATED_API_KEY.schema.properties,
    retires: objectSchema({
      keyId: apiKeyFields.keyId,
      expiresAt: { type: 'string', description: 'ISO 8601: the old key is refused from then on' },
    }),
  }),
);

/** POST /v1/api-keys/imports: the key's record as stored under its hash. */
export const IMPORTED_API_KEY = namedSchema(
  'ImportedApiKey',
  objectSchema({
    keyHash: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the key' },
    ...apiKeyFields,
  }),
);

/** GET /v1/api-keys. */
export const API_KEY_PAGE = pageSchema('ApiKeyPage', API_KEY);
