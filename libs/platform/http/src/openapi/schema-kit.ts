import {
  namedSchema,
  refTo,
  type NamedSchema,
  type ReferenceObject,
  type SchemaObject,
} from './documented-responses';

// Small builders for response schemas, so each service states its shapes in a few lines.

type Schema = SchemaObject | ReferenceObject;
type Properties = Readonly<Record<string, Schema | NamedSchema>>;

const asSchema = (schema: Schema | NamedSchema): Schema =>
  'name' in schema && 'schema' in schema ? refTo(schema as NamedSchema) : (schema as Schema);

/** Money and credits: an integer in the stated smallest unit, written as a string. */
export const amountSchema: SchemaObject = {
  type: 'string',
  pattern: '^-?[0-9]+$',
  description: 'An integer in the smallest unit, as a string',
  example: '1500',
};
export const timestampSchema: SchemaObject = { type: 'string', format: 'date-time' };
export const stringSchema: SchemaObject = { type: 'string' };
export const integerSchema: SchemaObject = { type: 'integer' };
export const booleanSchema: SchemaObject = { type: 'boolean' };

export function enumSchema(values: readonly string[]): SchemaObject {
  return { type: 'string', enum: [...values] };
}

/**
 * `schema` or null. OpenAPI 3.0 ignores siblings of $ref and Ajv refuses `nullable` without
 * `type`, so a reference becomes "the reference, or an object type that admits only null".
 */
export function nullable(schema: Schema | NamedSchema): SchemaObject {
  const resolved = asSchema(schema);
  return '$ref' in resolved
    ? { anyOf: [resolved, { type: 'object', nullable: true, enum: [null] }] }
    : { ...resolved, nullable: true };
}

export function arrayOf(items: Schema | NamedSchema): SchemaObject {
  return { type: 'array', items: asSchema(items) };
}

/** An object with these required properties, and these optional ones; other properties may follow. */
export function objectSchema(required: Properties, optional: Properties = {}): SchemaObject {
  const properties = Object.fromEntries(
    [...Object.entries(required), ...Object.entries(optional)].map(([key, value]) => [
      key,
      asSchema(value),
    ]),
  );
  return {
    type: 'object',
    ...(Object.keys(required).length > 0 ? { required: Object.keys(required) } : {}),
    properties,
  };
}

/** Every listing: `{ data, nextCursor }` (see PageResponse). */
export function pageSchema(name: string, item: Schema | NamedSchema): NamedSchema {
  return namedSchema(
    name,
    objectSchema({
      data: arrayOf(item),
      nextCursor: nullable({
        type: 'string',
        description: 'Pass as cursor for the next page; null on the last',
      }),
    }),
  );
}
