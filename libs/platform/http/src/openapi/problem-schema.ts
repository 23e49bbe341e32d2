import { PROBLEM_TYPE_PREFIX } from '../problem/problem-details';
import { namedSchema } from './documented-responses';

/** RFC 9457 problem details as every Burndown error answers them (see ProblemDetails). */
export const PROBLEM_SCHEMA = namedSchema('Problem', {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance'],
  properties: {
    type: {
      type: 'string',
      description: `A stable URN clients can switch on, e.g. ${PROBLEM_TYPE_PREFIX}validation-failed`,
      example: `${PROBLEM_TYPE_PREFIX}validation-failed`,
    },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request path' },
    errors: {
      type: 'array',
      description: 'Every offending input',
      items: {
        type: 'object',
        required: ['field', 'detail'],
        properties: {
          field: {
            type: 'string',
            description:
              'A dotted path into the body (events[3].quantity), a parameter or a header name',
          },
          detail: { type: 'string' },
        },
      },
    },
  },
});
