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
  const [ack] = await appendMessages(tx, stream, duplicateWindowMs, [message]);
  return ack as PublishAck;
}

/**
 * appendMessage for many messages of one stream, as if one after the other (a repeat inside the
 * list is a duplicate of its first copy), in three statements whatever their number.
 */
export async function appendMessages(
  tx: Sql,
  stream: string,
  duplicateWindowMs: number,
  messages: readonly NewMessage[],
): Promise<PublishAck[]> {
  const { rows: stored } = await tx.query<{ msg_id: string; sequence_text: string }>(
    `SELECT msg_id, max(sequence)::text AS sequence_text FROM bus_messages
     WHERE stream = $1 AND msg_id = ANY($2::text[])
       AND published_at > clock_timestamp() - ($3::bigint * interval '1 millisecond')
     GROUP BY msg_id`,
    [stream, messages.map((message) => message.msgId), duplicateWindowMs],
  );
  const known = new Map(stored.map((row) => [row.msg_id, int8(row.sequence_text, 'sequence')]));
  const taken = new Set(known.keys());
  const fresh = messages.filter((message) => !taken.has(message.msgId) && taken.add(message.msgId) !== undefined);
  let next = 0n;
  if (fresh.length > 0) {
    const { rows } = await tx.query<{ sequence_text: string }>(
      `UPDATE bus_streams SET last_sequence = last_sequence + $2 WHERE name = $1
       RETURNING last_sequence::text AS sequence_text`,
      [stream, fresh.length],
    );
    const allocated = rows[0];
    if (allocated === undefined) throw new Error(`bus stream ${stream} does not exist`);
    next = int8(allocated.sequence_text, 'sequence') - BigInt(fresh.length) + 1n;
  }
  const sequences = fresh.map((message, index) => {
    const sequence = next + BigInt(index);
    known.set(message.msgId, sequence);
    return sequence;
  });
  if (fresh.length > 0) {
    await tx.query(
      `INSERT INTO bus_messages (stream, sequence, subject, msg_id, payload, headers)
       SELECT $1, m.sequence::bigint, m.subject, m.msg_id, m.payload::jsonb, m.headers::jsonb
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS m(sequence, subject, msg_id, payload, headers)`,
      [
        stream,
        sequences.map(String),
        fresh.map((message) => message.subject),
        fresh.map((message) => message.msgId),
        fresh.map((message) => JSON.stringify(message.payload)),
        fresh.map((message) => JSON.stringify(message.headers)),
      ],
    );
  }
  // Only a first copy is in `fresh`; a later one is a duplicate of it.
  const storedNow = new Set(fresh);
  return messages.map((message) => ({ stream, sequence: known.get(message.msgId) as bigint, duplicate: !storedNow.has(message) }));
}

/** Messages bound for several streams: each stream's share in one appendMessages, acks in the given order. */
export async function appendByStream(
  tx: Sql,
  batch: readonly { readonly stream: { readonly name: string; readonly duplicateWindowMs: number }; readonly message: NewMessage }[],
): Promise<PublishAck[]> {
  const byStream = new Map<string, number[]>();
  batch.forEach(({ stream }, index) => {
    const indexes = byStream.get(stream.name);
    if (indexes === undefined) byStream.set(stream.name, [index]);
    else indexes.push(index);
  });
  const acks = new Array<PublishAck>(batch.length);
  for (const indexes of byStream.values()) {
    const { stream } = batch[indexes[0] as number] as (typeof batch)[number];
    const stored = await appendMessages(tx, stream.name, stream.duplicateWindowMs, indexes.map((index) => (batch[index] as (typeof batch)[number]).message));
    indexes.forEach((index, position) => (acks[index] = stored[position] as PublishAck));
  }
  return acks;
}
