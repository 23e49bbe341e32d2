import {
  arrayOf,
  enumSchema,
  integerSchema,
  namedSchema,
  nullable,
  objectSchema,
  stringSchema,
} from '@burndown/http';

// The bodies IngestUsageController answers (see batch-ingestion.ts for EventResult).

/** POST /v1/events: the event is stored on the bus (or was already). */
export const USAGE_EVENT_RECEIPT = namedSchema(
  'UsageEventReceipt',
  objectSchema({ id: stringSchema, status: enumSchema(['accepted', 'duplicate']) }),
);

const eventResultBase = {
  index: { type: 'integer', description: 'Position of the event in the batch' },
  id: nullable({ type: 'string', description: "The event's id; null when it had none" }),
} as const;

/** What became of one event of a batch: stored, already stored, refused, or not stored by the bus. */
export const USAGE_EVENT_RESULT = namedSchema('UsageEventResult', {
  oneOf: [
    objectSchema({ ...eventResultBase, status: enumSchema(['accepted', 'duplicate']) }),
    objectSchema({
      ...eventResultBase,
      status: enumSchema(['rejected']),
      errors: arrayOf(objectSchema({ field: stringSchema, detail: stringSchema })),
    }),
    objectSchema({
      ...eventResultBase,
      status: enumSchema(['unavailable']),
      reason: { type: 'string', description: 'Why the bus did not store it: send the batch again' },
    }),
  ],
});

/** POST /v1/events/batch and /v1/cloudevents: counts, and each event's result in batch order. */
export const USAGE_BATCH_RESULT = namedSchema(
  'UsageBatchResult',
  objectSchema({
    accepted: integerSchema,
    duplicates: integerSchema,
    rejected: integerSchema,
    unavailable: integerSchema,
    results: arrayOf(USAGE_EVENT_RESULT),
  }),
);
