import type { JsonValue, PublishAck } from '@burndown/ports';
import type { Sql } from '../embedded-database';
import { int8 } from '../int8';

export interface NewMessage {
  readonly subject: string;
  readonly msgId: string;
  readonly payload: JsonValue;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Stores a message unless the same msg id reached the stream within its duplicate window; then
 * acknowledges the stored copy instead (JetStream's Nats-Msg-Id semantics). Runs inside the
 * caller's transaction, so a dead letter and the ack it replaces commit together.
 */
export async function appendMessage(
  tx: Sql,
  stream: string,
  duplicateWindowMs: number,
  message: NewMessage,
): Promise<PublishAck> {
  const { rows: duplicates } = await tx.query<{ sequence_text: string }>(
    `SELECT sequence::text AS sequence_text FROM bus_messages
     WHERE stream = $1 AND msg_id = $2
       AND published_at > clock_timestamp() - ($3::bigint * interval '1 millisecond')
     ORDER BY sequence DESC LIMIT 1`,
    [stream, message.msgId, duplicateWindowMs],
  );
  const duplicate = duplicates[0];
  if (duplicate !== undefined) {
    return { stream, sequence: int8(duplicate.sequence_text, 'sequence'), duplicate: true };
  }
  const { rows } = await tx.query<{ sequence_text: string }>(
    `UPDATE bus_streams SET last_sequence = last_sequence + 1 WHERE name = $1
     RETURNING last_sequence::text AS sequence_text`,
    [stream],
  );
  const allocated = rows[0];
  if (allocated === undefined) throw new Error(`bus stream ${stream} does not exist`);
  await tx.query(
    `INSERT INTO bus_messages (stream, sequence, subject, msg_id, payload, headers)
     VALUES ($1, $2::bigint, $3, $4, $5::jsonb, $6::jsonb)`,
    [
      stream,
      allocated.sequence_text,
      message.subject,
      message.msgId,
      JSON.stringify(message.payload),
      JSON.stringify(message.headers),
    ],
  );
  return { stream, sequence: int8(allocated.sequence_text, 'sequence'), duplicate: false };
}
