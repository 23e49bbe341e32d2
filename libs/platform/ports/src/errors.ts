import type { ExpectedRevision } from './event-store';

/** Optimistic concurrency: another writer appended first. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** Thrown by a message handler for input that can never succeed: dead-lettered without retries. */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
  ) {
    super(`no reply on ${subject} within ${timeoutMs} ms`);
  }
}

export class NoResponderError extends Error {
  override readonly name = 'NoResponderError';
  constructor(readonly subject: string) {
    super(`no responder for ${subject}`);
  }
}

/** A reply handler's refusal, carried back to the requester with its problem fields. */
export class RemoteRequestError extends Error {
  override readonly name = 'RemoteRequestError';
  constructor(
    readonly subject: string,
    message: string,
  ) {
    super(message);
  }
}

/** A publish to a subject that no stream captures (JetStream answers "no responders"). */
export class NoStreamForSubjectError extends Error {
  override readonly name = 'NoStreamForSubjectError';
  constructor(readonly subject: string) {
    super(`no stream captures subject ${subject}`);
  }
}
