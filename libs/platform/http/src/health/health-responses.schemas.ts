import { namedSchema } from '../openapi/documented-responses';
import { enumSchema, objectSchema, stringSchema } from '../openapi/schema-kit';

// The body HealthController answers.

/** GET /health: the process is up; how many event-store appends it has made since it started. */
export const HEALTH = namedSchema(
  'Health',
  objectSchema({
    status: enumSchema(['ok']),
    service: stringSchema,
    store: objectSchema({
      appends: { type: 'integer', description: 'Settled append calls, refused ones included' },
      appendedEvents: { type: 'integer', description: 'Events the successful appends stored' },
    }),
  }),
);
