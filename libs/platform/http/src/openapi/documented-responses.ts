import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type OpenAPIObject } from '@nestjs/swagger';

// @nestjs/swagger exports its document type only: the parts are derived from it.
type ComponentSchema = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
export type ReferenceObject = Extract<ComponentSchema, { $ref: string }>;
export type SchemaObject = Exclude<ComponentSchema, ReferenceObject>;
export type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;
export type ParameterObject = Exclude<
  NonNullable<OperationObject['parameters']>[number],
  ReferenceObject
>;

/** A response body's shape under the name it has in the document's `components.schemas`. */
export interface NamedSchema {
  readonly name: string;
  readonly schema: SchemaObject;
}

/** Every named schema defined in this process, for the OpenAPI document's components. */
const definedSchemas = new Map<string, SchemaObject>();

/**
 * Defines a schema once under `name`; operations and other schemas refer to it with `refTo`.
 * Two definitions of one name are a programming error, refused at load.
 */
export function namedSchema(name: string, schema: SchemaObject): NamedSchema {
  const existing = definedSchemas.get(name);
  if (existing !== undefined && existing !== schema)
    throw new Error(`OpenAPI schema ${name} is defined twice`);
  definedSchemas.set(name, schema);
  return { name, schema };
}

export function refTo(named: NamedSchema): ReferenceObject {
  return { $ref: `#/components/schemas/${named.name}` };
}

export function definedSchemaComponents(): Record<string, SchemaObject> {
  return Object.fromEntries(definedSchemas);
}

/**
 * Documents the body an operation answers with `status`: a named JSON schema, or another media
 * type (CSV, a bare acknowledgement). Errors need no decorator: every operation documents its
 * problem+json answers (see openapi-conventions).
 */
export function Responds(
  status: number,
  body: NamedSchema | { readonly mediaType: string; readonly schema: SchemaObject },
  description = 'OK',
): MethodDecorator {
  if ('name' in body)
    return applyDecorators(ApiResponse({ status, description, schema: refTo(body) }));
  return applyDecorators(
    ApiResponse({ status, description, content: { [body.mediaType]: { schema: body.schema } } }),
  );
}
