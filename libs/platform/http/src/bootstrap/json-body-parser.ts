import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { ProblemException } from '../problem/problem.exception';

export const YAML_CONTENT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];
/** JSON, and the CloudEvents JSON formats (structured and batched) that ingestion takes. */
export const JSON_CONTENT_TYPES = [
  'application/json',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
];

/**
 * Bodies are JSON (or YAML, for documents people write by hand, such as rate cards) or nothing:
 * every other content type is 415. Parsing keeps Fastify's guard against prototype poisoning; a
 * body that fails is a 400 naming the parse error.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  const parseSecurely = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser(JSON_CONTENT_TYPES, { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    // Kept for whoever checks a signature over the bytes sent (a payment provider's webhook).
    (request as { rawBody?: string }).rawBody = text;
    parseSecurely(request, text, (error, value) => {
      if (error) done(malformedJson(text));
      else done(null, value);
    });
  });
  fastify.addContentTypeParser(YAML_CONTENT_TYPES, { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    let value: unknown;
    try {
      // YAML 1.2 core schema: no custom tags; aliases bounded so a small document cannot expand without limit.
      value = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
    } catch (error) {
      done(malformed('YAML', `the body is not valid YAML: ${(error as Error).message}`));
      return;
    }
    // Through the JSON parser again, so YAML bodies get the same prototype-poisoning guard.
    parseSecurely(request, JSON.stringify(value ?? null), (error, safe) => {
      if (error)
        done(
          malformed(
            'YAML',
            'the body uses a forbidden property name (__proto__, or constructor with prototype)',
          ),
        );
      else done(null, safe);
    });
  });
}

function malformed(format: string, detail: string): ProblemException {
  return new ProblemException({
    status: 400,
    type: `malformed-${format.toLowerCase()}`,
    title: `Malformed ${format} body`,
    detail,
    errors: [{ field: 'body', detail }],
  });
}

const malformedJson = (text: string): ProblemException =>
  malformed('JSON', explainParseFailure(text));

/** Fastify's own error does not say where parsing failed; JSON.parse's message does. */
function explainParseFailure(text: string): string {
  if (text.trim() === '') return 'the body is empty although content-type is application/json';
  try {
    JSON.parse(text);
  } catch (error) {
    return `the body is not valid JSON: ${(error as Error).message}`;
  }
  return 'the body uses a forbidden property name (__proto__, or constructor with prototype)';
}

/** The JSON body as it was sent, before parsing (see acceptJsonBodiesOnly). */
export const rawBodyOf = (request: unknown): string | undefined =>
  (request as { rawBody?: string }).rawBody;
