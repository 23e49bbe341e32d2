import type { JsonValue, PublishAck } from '@burndown/ports';
import type { EmbeddedDatabase } from '../embedded-database';

/** A message to store, its payload and headers already encoded (a bad value fails its publish alone). */
export interface NewMessage {
  readonly subject: string;
  readonly msgId: string;
  readonly payloadJson: string;
  readonly headersJson: string;
}

export function newMessage(
  subject: string,
  msgId: string,
  payload: JsonValue,
  headers: Readonly<Record<string, string>>,
): NewMessage {
  return {
    subject,
    msgId,
    payloadJson: JSON.stringify(payload),
    headersJson: JSON.stringify(headers),
  };
}

export interface StreamRef {
  readonly name: string;
  readonly duplicateWindowMs: number;
}

const STORED_COPY = `SELECT max(sequence) AS sequence FROM bus_messages
  WHERE stream = ? AND msg_id = ? AND published_at > ?`;
const INSERT_MESSAGE = `INSERT INTO bus_messages (stream, sequence, subject, msg_id, payload, headers, published_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;

/**
 * Stores messages of many streams, as if one after the other: a msg id already stored in its
 * stream within the duplicate window (or earlier in the list) is acknowledged as a duplicate of
 * that copy (JetStream's Nats-Msg-Id semantics). Synchronous: it runs inside the caller's write
 * group, so a dead letter and the ack it replaces commit together.
 */
export function appendMessages(
  db: EmbeddedDatabase,
  batch: readonly { readonly stream: StreamRef; readonly message: NewMessage }[],
): PublishAck[] {
  const now = Date.now();
  const lastSequences = new Map<string, bigint>();
  const seen = new Map<string, bigint>();
  const acks = batch.map(({ stream, message }) => {
    const key = `${stream.name}\u0000${message.msgId}`;
    const known =
      seen.get(key) ??
      db.get<{ sequence: bigint | null }>(
        STORED_COPY,
        [stream.name, message.msgId, now - stream.duplicateWindowMs],
        true,
      )?.sequence ??
      undefined;
    if (known !== undefined) return { stream: stream.name, sequence: known, duplicate: true };
    const sequence = (lastSequences.get(stream.name) ?? lastSequenceOf(db, stream.name)) + 1n;
    lastSequences.set(stream.name, sequence);
    seen.set(key, sequence);
    db.run(INSERT_MESSAGE, [
      stream.name,
      sequence,
      message.subject,
      message.msgId,
      message.payloadJson,
      message.headersJson,
      now,
    ]);
    return { stream: stream.name, sequence, duplicate: false };
  });
  for (const [name, sequence] of lastSequences)
    db.run('UPDATE bus_streams SET last_sequence = ? WHERE name = ?', [sequence, name]);
  return acks;
}

/** The stream's last stored sequence (every sequence up to it is committed: commits take turns). */
export function lastSequenceOf(db: EmbeddedDatabase, stream: string): bigint {
  const row = db.get<{ last_sequence: bigint }>(
    'SELECT last_sequence FROM bus_streams WHERE name = ?',
    [stream],
    true,
  );
  if (row === undefined) throw new Error(`bus stream ${stream} does not exist`);
  return row.last_sequence;
}
