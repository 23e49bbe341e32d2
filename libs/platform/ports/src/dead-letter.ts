import type { JsonValue } from './json';

/** Every bus adapter keeps this stream; a failed message is published to it, never dropped. */
export const DEAD_LETTER_STREAM = 'DEAD_LETTERS';
export const DEAD_LETTER_SUBJECT_PREFIX = 'deadletter';

export const deadLetterSubject = (durableName: string): string =>
  `${DEAD_LETTER_SUBJECT_PREFIX}.${durableName}`;

/** Payload of a message on the dead-letter stream. */
export interface DeadLetter {
  readonly [key: string]: JsonValue;
  readonly stream: string;
  readonly consumer: string;
  readonly subject: string;
  readonly msgId: string;
  readonly sequence: string;
  readonly deliveries: number;
  readonly reason: string;
  readonly payload: JsonValue;
  readonly headers: { readonly [key: string]: string };
  readonly failedAt: string;
}
