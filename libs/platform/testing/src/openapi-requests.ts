import fc from 'fast-check';
import { SUBJECT_TOKEN_PATTERN } from '@burndown/ports';

// Requests generated from an OpenAPI document, for the fuzz suite: well-formed ones from each
// operation's schemas (with the document's examples mixed in, so some succeed), and malformed ones
// that no correct server may accept (wrong types, broken JSON, garbage ids, bad headers).

type Json = Record<string, unknown>;

export interface DocumentedOperation {
  readonly method: string;
  readonly template: string;
  readonly pathParameters: readonly string[];
  readonly queryParameters: readonly { readonly name: string; readonly schema: Json }[];
  /** The application/json request body schema, when the operation takes one. */
  readonly body: Json | undefined;
}

export interface GeneratedRequest {
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as is; undefined sends no body. */
  readonly rawBody: string | undefined;
  /** What was broken on purpose, for the failure message. */
  readonly malformation?: string;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Past the default 1 MiB body limit: a 413 problem, parsed by nobody. */
const HUGE_BODY = `{"padding":"${'x'.repeat(1_200_000)}"}`;

export function documentedOperations(document: Json): DocumentedOperation[] {
  const operations: DocumentedOperation[] = [];
  for (const [template, item] of Object.entries(document['paths'] as Json)) {
    for (const [method, value] of Object.entries(item as Json)) {
      const operation = value as Json;
      const parameters = ((operation['parameters'] ?? []) as Json[]).filter(
        (parameter) => !('$ref' in parameter),
      );
      const content = ((operation['requestBody'] as Json | undefined)?.['content'] ?? {}) as Json;
      operations.push({
        method: method.toUpperCase(),
        template,
        pathParameters: parameters
          .filter((parameter) => parameter['in'] === 'path')
          .map((parameter) => parameter['name'] as string),
        queryParameters: parameters
          .filter((parameter) => parameter['in'] === 'query')
          .map((parameter) => ({
            name: parameter['name'] as string,
            schema: (parameter['schema'] ?? {}) as Json,
          })),
        body: (content['application/json'] as Json | undefined)?.['schema'] as Json | undefined,
      });
    }
  }
  return operations;
}

/** Burndown's ids are subject tokens (1–64 of A–Z, a–z, 0–9, _ and -): anything else names nothing. */
const VALID_ID = SUBJECT_TOKEN_PATTERN;

/**
 * Values no id pattern accepts: too long, spaces, control and non-ASCII characters. Not "." or
 * "..": the client's URL parser folds those into the path (the WHATWG rules, %2E included).
 */
export const garbageId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', ' ', '\u0000', 'a/b', '🙂', 'x'.repeat(300), 'a b', 'ü'),
  fc
    .string({ minLength: 1, maxLength: 40, unit: 'binary' })
    .filter((text) => !VALID_ID.test(text) && !/^\.+$/.test(text)),
);

/**
 * A request a correct server answers with a 4xx, and that changes nothing: its path parameters are
 * garbage, or its body is broken while the ids are real, or a header or query parameter is.
 */
export function malformedRequest(
  document: Json,
  operation: DocumentedOperation,
  realIds: Readonly<Record<string, string>>,
): fc.Arbitrary<GeneratedRequest> {
  const withGarbageIds = fc
    .tuple(...operation.pathParameters.map(() => garbageId))
    .map((values) =>
      pathWith(
        operation,
        Object.fromEntries(
          operation.pathParameters.map((name, index) => [name, values[index] as string]),
        ),
      ),
    );
  const withRealIds = pathWith(operation, realIds);
  const validBody =
    operation.body === undefined
      ? fc.constant(undefined)
      : schemaValue(document, operation.body).map((value) => JSON.stringify(value));
  const variants: fc.Arbitrary<GeneratedRequest>[] = [];
  const request = (
    path: string,
    rawBody: string | undefined,
    malformation: string,
    headers: Record<string, string> = {},
  ): GeneratedRequest => ({
    operation: `${operation.method} ${operation.template}`,
    method: operation.method,
    path,
    headers: rawBody === undefined ? headers : { 'content-type': 'application/json', ...headers },
    rawBody,
    malformation,
  });
  if (operation.pathParameters.length > 0)
    variants.push(
      fc
        .tuple(withGarbageIds, validBody)
        .map(([path, body]) => request(path, body, 'garbage path parameters')),
    );
  if (operation.body !== undefined) {
    variants.push(
      fc
        .constantFrom(
          '[]',
          '42',
          '"text"',
          'null',
          'true',
          '{"a":',
          '{{}',
          '{"__proto__":{"polluted":1}}',
          '['.repeat(20_000) + ']'.repeat(20_000),
          HUGE_BODY,
        )
        .map((raw) => request(withRealIds, raw, `body ${raw.slice(0, 20)}`)),
      wrongTypedBody(document, operation.body).map((body) =>
        request(withRealIds, JSON.stringify(body), 'a required field of the wrong type'),
      ),
      validBody.map((body) =>
        request(withRealIds, body, 'text/plain body', { 'content-type': 'text/plain' }),
      ),
    );
  }
  if (MUTATING.has(operation.method))
    variants.push(
      fc
        .tuple(validBody, fc.constantFrom('has space', 'x'.repeat(256), 'é', ''))
        .map(([body, key]) =>
          request(withRealIds, body, `Idempotency-Key ${JSON.stringify(key.slice(0, 20))}`, {
            'idempotency-key': key,
          }),
        ),
    );
  if (
    operation.queryParameters.some(
      (parameter) => parameter.name === 'limit' || parameter.name === 'cursor',
    )
  )
    variants.push(
      fc
        .constantFrom(
          'limit=-1',
          'limit=abc',
          'limit=1e9',
          'cursor=%FF%FE',
          'cursor=',
          'limit=1&limit=2',
        )
        .map((query) => request(`${withRealIds}?${query}`, undefined, `query ${query}`)),
    );
  if (variants.length === 0)
    throw new RangeError(
      `${operation.method} ${operation.template} takes no input to malform (see takesInput)`,
    );
  return fc.oneof(...variants);
}

/** Whether an operation takes anything a request could get wrong (ids, a body, a key, paging). */
export function takesInput(operation: DocumentedOperation): boolean {
  return (
    operation.pathParameters.length > 0 ||
    operation.body !== undefined ||
    MUTATING.has(operation.method) ||
    operation.queryParameters.some(
      (parameter) => parameter.name === 'limit' || parameter.name === 'cursor',
    )
  );
}

/** A request shaped by the document: path ids from `ids`, query and body from their schemas. */
export function wellFormedRequest(
  document: Json,
  operation: DocumentedOperation,
  ids: fc.Arbitrary<Readonly<Record<string, string>>>,
): fc.Arbitrary<GeneratedRequest> {
  const body =
    operation.body === undefined
      ? fc.constant(undefined)
      : schemaValue(document, operation.body).map((value) => JSON.stringify(value));
  const query = fc
    .tuple(
      ...operation.queryParameters.map((parameter) =>
        fc.option(schemaValue(document, parameter.schema), { nil: undefined }),
      ),
    )
    .map((values) =>
      operation.queryParameters
        .flatMap((parameter, index) =>
          values[index] === undefined
            ? []
            : [`${parameter.name}=${encodeURIComponent(String(values[index]))}`],
        )
        .join('&'),
    );
  return fc
    .tuple(ids, body, query, fc.option(fc.uuid(), { nil: undefined }))
    .map(([chosen, rawBody, search, key]) => ({
      operation: `${operation.method} ${operation.template}`,
      method: operation.method,
      path: `${pathWith(operation, chosen)}${search === '' ? '' : `?${search}`}`,
      headers: {
        ...(rawBody === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key !== undefined && MUTATING.has(operation.method) ? { 'idempotency-key': key } : {}),
      },
      rawBody,
    }));
}

function pathWith(operation: DocumentedOperation, ids: Readonly<Record<string, string>>): string {
  return operation.template.replace(/\{([^}]+)\}/g, (_, name: string) =>
    segment(ids[name] ?? 'unknown'),
  );
}

/** A path segment as sent: "." and ".." escaped, or the URL parser would fold them into the path. */
function segment(value: string): string {
  return /^\.+$/.test(value) ? value.replace(/\./g, '%2E') : encodeURIComponent(value);
}

function resolve(document: Json, schema: Json): Json {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return schema;
  const found = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document);
  return resolve(document, (found ?? {}) as Json);
}

/** A value of the schema's type, mostly inside its constraints; examples and enums often. */
export function schemaValue(document: Json, raw: Json, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(document, raw);
  const alternatives = (schema['oneOf'] ?? schema['anyOf']) as Json[] | undefined;
  if (alternatives !== undefined)
    return fc.oneof(
      ...alternatives.map((alternative) => schemaValue(document, alternative, depth + 1)),
    );
  const generated = byType(document, schema, depth);
  const example = schema['example'];
  return example === undefined
    ? generated
    : fc.oneof({ arbitrary: fc.constant(example), weight: 2 }, { arbitrary: generated, weight: 1 });
}

function byType(document: Json, schema: Json, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(schema['enum'])) return fc.constantFrom(...(schema['enum'] as unknown[]));
  switch (schema['type']) {
    case 'string':
      if (schema['format'] === 'date-time')
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((date) => date.toISOString());
      if (typeof schema['pattern'] === 'string')
        return fc
          .stringMatching(new RegExp(schema['pattern'] as string))
          .map((text) => text.slice(0, 200));
      return fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.stringMatching(/^-?[0-9]{1,20}$/),
        fc.constantFrom('fuzz-co', 'g', 'USD', '2027-01'),
      );
    case 'integer':
      return fc.integer({
        min: (schema['minimum'] as number | undefined) ?? -1_000,
        max: (schema['maximum'] as number | undefined) ?? 1_000_000,
      });
    case 'number':
      return fc.oneof(
        fc.integer({ min: -10, max: 100_000 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      );
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(schemaValue(document, (schema['items'] ?? {}) as Json, depth + 1), {
            maxLength: 3,
          });
    case 'object':
    case undefined: {
      const properties = (schema['properties'] ?? {}) as Record<string, Json>;
      if (Object.keys(properties).length === 0 || depth > 3)
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
          maxKeys: 3,
        });
      const required = new Set((schema['required'] ?? []) as string[]);
      return fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([name, property]) => [
            name,
            schemaValue(document, property, depth + 1),
          ]),
        ),
        { requiredKeys: [...required].filter((name) => name in properties) },
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A body that keeps the schema's shape but puts a value of another type in one required field. */
function wrongTypedBody(document: Json, raw: Json): fc.Arbitrary<Json> {
  const schema = resolve(document, raw);
  const required = ((schema['required'] ?? []) as string[]).filter(
    (name) => name in ((schema['properties'] ?? {}) as Json),
  );
  if (required.length === 0) return fc.constant({ unexpected: { field: true } });
  return fc
    .tuple(schemaValue(document, schema), fc.constantFrom(...required))
    .chain(([body, field]) => {
      const property = resolve(document, ((schema['properties'] as Json)[field] ?? {}) as Json);
      const wrong =
        property['type'] === 'object' || property['type'] === 'array'
          ? fc.constantFrom(7, 'text', true)
          : fc.constantFrom<unknown>({ nested: 1 }, [1, 2], true);
      return wrong.map((value) => ({ ...(body as Json), [field]: value }));
    });
}
