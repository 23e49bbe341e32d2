import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH } from '../idempotency/idempotency-key';
import { MUTATING_METHODS } from '../idempotency/idempotency.interceptor';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem-details';
import {
  definedSchemaComponents,
  refTo,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
} from './documented-responses';
import { PROBLEM_SCHEMA } from './problem-schema';

const OPERATION_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
/** W3C trace context, as the ingestion endpoints accept it (anything else starts a new trace). */
const TRACEPARENT_PATTERN = '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$';

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: refTo(PROBLEM_SCHEMA) } },
});

/**
 * What Nest's scanner cannot see, written into every operation the same way: path parameters bound
 * through DTO classes, the Idempotency-Key every mutating request accepts (IdempotencyInterceptor),
 * `traceparent` as optional, the problem+json answers, and the named schemas of the responses.
 */
export function applyApiConventions(document: OpenAPIObject): OpenAPIObject {
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(pathItem)) {
      if (!OPERATION_METHODS.has(method) || typeof operation !== 'object' || operation === null)
        continue;
      const op = operation as OperationObject;
      op.parameters = [
        ...pathParameters(path, op.parameters ?? []),
        ...(op.parameters ?? []).map(optionalTraceparent),
        ...(MUTATING_METHODS.has(method.toUpperCase()) &&
        !declares(op.parameters ?? [], 'header', IDEMPOTENCY_KEY_HEADER)
          ? [idempotencyKeyParameter()]
          : []),
      ];
      if (op.parameters.length === 0) delete op.parameters;
      op.responses = {
        ...op.responses,
        '4XX':
          op.responses['4XX'] ??
          problemResponse('The request was refused; the problem names the field'),
        '5XX':
          op.responses['5XX'] ??
          problemResponse('A dependency is unavailable (503 with Retry-After)'),
      };
    }
  }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...definedSchemaComponents() },
  };
  return document;
}

function pathParameters(
  path: string,
  declared: readonly (ParameterObject | ReferenceObject)[],
): ParameterObject[] {
  return [...path.matchAll(/\{([^}]+)\}/g)]
    .map((match) => match[1] as string)
    .filter((name) => !declares(declared, 'path', name))
    .map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

function declares(
  parameters: readonly (ParameterObject | ReferenceObject)[],
  location: string,
  name: string,
): boolean {
  return parameters.some(
    (parameter) =>
      'in' in parameter &&
      parameter.in === location &&
      parameter.name.toLowerCase() === name.toLowerCase(),
  );
}

function optionalTraceparent(
  parameter: ParameterObject | ReferenceObject,
): ParameterObject | ReferenceObject {
  if (!('in' in parameter) || parameter.in !== 'header' || parameter.name !== 'traceparent')
    return parameter;
  return {
    name: 'traceparent',
    in: 'header',
    required: false,
    description:
      'W3C trace context; the event continues this trace, or starts one when absent or malformed',
    schema: { type: 'string', pattern: TRACEPARENT_PATTERN },
  };
}

function idempotencyKeyParameter(): ParameterObject {
  return {
    name: IDEMPOTENCY_KEY_HEADER,
    in: 'header',
    required: false,
    description:
      'Runs the request once: a retry with the same key and body gets the first response again, marked Idempotent-Replayed: true',
    schema: { type: 'string', pattern: `^[\\x21-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$` },
  };
}
