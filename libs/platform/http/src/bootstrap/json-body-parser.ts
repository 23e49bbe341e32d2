import type { FastifyInstance } from 'fastify';
import { ProblemException } from '../problem/problem.exception';

/**
 * Bodies are JSON or nothing: every other content type is 415. Parsing keeps Fastify's guard
 * against prototype poisoning; a body that fails is a 400 naming the parse error.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  const parseSecurely = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    parseSecurely(request, text, (error, value) => {
      if (error) done(malformedJson(text));
      else done(null, value);
    });
  });
}

function malformedJson(text: string): ProblemException {
  const detail = explainParseFailure(text);
  return new ProblemException({
    status: 400,
    type: 'malformed-json',
    title: 'Malformed JSON body',
    detail,
    errors: [{ field: 'body', detail }],
  });
}

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
