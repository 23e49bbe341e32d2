import type { PublishAck } from '@burndown/ports';

interface JetStreamAnswer {
  readonly stream?: string;
  readonly seq?: number;
  readonly duplicate?: boolean;
  readonly error?: {
    readonly code?: number;
    readonly err_code?: number;
    readonly description?: string;
  };
}

const decoder = new TextDecoder();

/** JetStream refused a publish (a stream limit, a wrong expectation, …), in its own words. */
export class PublishRefusedError extends Error {
  override readonly name = 'PublishRefusedError';
  constructor(
    readonly subject: string,
    readonly errCode: number | undefined,
    description: string,
  ) {
    super(`JetStream refused the publish to ${subject}: ${description}`);
  }
}

/** Reads JetStream's answer to a publish: its stream and sequence, or the refusal it carries. */
export function readPublishAck(subject: string, data: Uint8Array): PublishAck {
  const answer = JSON.parse(decoder.decode(data)) as JetStreamAnswer;
  if (answer.error !== undefined)
    throw new PublishRefusedError(
      subject,
      answer.error.err_code,
      answer.error.description ?? 'no description',
    );
  if (typeof answer.stream !== 'string' || answer.stream === '' || typeof answer.seq !== 'number')
    throw new PublishRefusedError(
      subject,
      undefined,
      `not a publish acknowledgement: ${decoder.decode(data)}`,
    );
  return {
    stream: answer.stream,
    sequence: BigInt(answer.seq),
    duplicate: answer.duplicate === true,
  };
}
