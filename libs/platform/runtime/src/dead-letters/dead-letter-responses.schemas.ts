import {
  enumSchema,
  integerSchema,
  namedSchema,
  objectSchema,
  pageSchema,
  stringSchema,
  timestampSchema,
} from '@burndown/http';

// The bodies DeadLettersController answers (see DeadLetter in @burndown/ports).

const sequenceSchema = { type: 'string', pattern: '^[0-9]+$' } as const;

/** A message a consumer could not handle, with why; `sequence` is the dead letter's own. */
export const DEAD_LETTER = namedSchema(
  'DeadLetter',
  objectSchema({
    stream: stringSchema,
    consumer: stringSchema,
    subject: stringSchema,
    msgId: stringSchema,
    sequence: {
      ...sequenceSchema,
      description: 'Sequence of the dead letter itself: what re-drive takes',
    },
    originalSequence: {
      ...sequenceSchema,
      description: 'Sequence of the failed message in its own stream',
    },
    deliveries: integerSchema,
    reason: stringSchema,
    payload: { description: 'Payload of the failed message: any JSON value' },
    headers: { type: 'object', additionalProperties: stringSchema },
    failedAt: timestampSchema,
  }),
);

/** GET /v1/dead-letters. */
export const DEAD_LETTER_PAGE = pageSchema('DeadLetterPage', DEAD_LETTER);

/** POST /v1/dead-letters/{sequence}/redrive: the original message is published again (or was). */
export const DEAD_LETTER_REDRIVE = namedSchema(
  'DeadLetterRedrive',
  objectSchema({
    sequence: sequenceSchema,
    subject: stringSchema,
    msgId: { type: 'string', description: 'The new message id: <original>:redrive:<sequence>' },
    status: enumSchema(['redriven', 'duplicate']),
  }),
);
