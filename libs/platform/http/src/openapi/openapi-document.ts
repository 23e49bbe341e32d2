import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_OPERATION_EXTENSION } from '../auth/public.decorator';
import { applyApiConventions } from './openapi-conventions';

export const OPENAPI_PATH = '/v1/openapi.json';

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
}

/** The service's OpenAPI document: every route needs an API key (either header) unless public. */
export function buildOpenApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setVersion(info.version)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    // Relative: the document is served by the API it describes, at whatever address it has.
    .addServer('/')
    .setDescription(
      'Errors are RFC 9457 problem+json. Amounts are integers in the smallest unit, written as strings. ' +
        'Mutating requests accept an Idempotency-Key header.',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'bd_ + 40 base62 characters',
        description: 'Burndown API key',
      },
      'bearerKey',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Api-Key',
        description: 'The same API key, for clients that cannot send Authorization',
      },
      'headerKey',
    )
    // Two requirement objects: either header satisfies it.
    .addSecurityRequirements('bearerKey')
    .addSecurityRequirements('headerKey')
    .build();
  return applyApiConventions(markPublicOperations(SwaggerModule.createDocument(app, config)));
}

/** An empty `security` list overrides the document's requirement: the operation needs no key. */
function markPublicOperations(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem)) {
      if (typeof operation !== 'object' || operation === null) continue;
      const marked = operation as Record<string, unknown>;
      if (marked[PUBLIC_OPERATION_EXTENSION] === true) {
        delete marked[PUBLIC_OPERATION_EXTENSION];
        marked.security = [];
      }
    }
  }
  return document;
}
