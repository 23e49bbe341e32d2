import { WrongExpectedRevisionError, type ExpectedRevision } from '@burndown/ports';

/**
 * Throws WrongExpectedRevisionError unless the stream's current revision (undefined: the stream
 * does not exist) satisfies the writer's expectation.
 */
export function assertExpectedRevision(
  streamName: string,
  expected: ExpectedRevision,
  current: bigint | undefined,
): void {
  if (satisfies(expected, current)) return;
  throw new WrongExpectedRevisionError(streamName, expected, current ?? 'no_stream');
}

function satisfies(expected: ExpectedRevision, current: bigint | undefined): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    default:
      return current === expected;
  }
}
