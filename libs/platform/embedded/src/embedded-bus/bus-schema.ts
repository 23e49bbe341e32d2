import type { BusMessage, JsonValue } from '@burndown/ports';
import type { MovedTable } from '../tables-moved-out';

/**
 * The embedded bus keeps JetStream's model in four tables: streams with their subjects and
 * duplicate window, the messages of every stream, each durable consumer's scan position and ack
 * floor (everything below it is settled), and the messages parked for a retry after a failure
 * (with their delivery count and the time they become due again).
 * Times are epoch milliseconds.
 */
export const BUS_SCHEMA = `
CREATE TABLE IF NOT EXISTS bus_streams (
  name                 TEXT    PRIMARY KEY,
  subjects             TEXT    NOT NULL,
  duplicate_window_ms  INTEGER NOT NULL CHECK (duplicate_window_ms >= 0),
  last_sequence        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bus_messages (
  stream        TEXT    NOT NULL,
  sequence      INTEGER NOT NULL,
  subject       TEXT    NOT NULL,
  msg_id        TEXT    NOT NULL,
  payload       TEXT    NOT NULL,
  headers       TEXT    NOT NULL,
  published_at  INTEGER NOT NULL,
  PRIMARY KEY (stream, sequence)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bus_messages_msg_id ON bus_messages (stream, msg_id, published_at);
CREATE TABLE IF NOT EXISTS bus_consumers (
  stream             TEXT    NOT NULL,
  durable_name       TEXT    NOT NULL,
  filter_subject     TEXT,
  delivered_through  INTEGER NOT NULL DEFAULT 0,
  ack_floor          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (stream, durable_name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bus_pending (
  stream        TEXT    NOT NULL,
  durable_name  TEXT    NOT NULL,
  sequence      INTEGER NOT NULL,
  deliveries    INTEGER NOT NULL DEFAULT 0,
  due_at        INTEGER NOT NULL,
  PRIMARY KEY (stream, durable_name, sequence)
) WITHOUT ROWID;
`;

/** What moves along when the bus leaves a file shared with other adapters. */
export const BUS_TABLES: readonly MovedTable[] = [
  { name: 'bus_streams', columns: ['name', 'subjects', 'duplicate_window_ms', 'last_sequence'] },
  {
    name: 'bus_messages',
    columns: ['stream', 'sequence', 'subject', 'msg_id', 'payload', 'headers', 'published_at'],
  },
  {
    name: 'bus_consumers',
    columns: ['stream', 'durable_name', 'filter_subject', 'delivered_through', 'ack_floor'],
  },
  { name: 'bus_pending', columns: ['stream', 'durable_name', 'sequence', 'deliveries', 'due_at'] },
];

export const MESSAGE_COLUMNS =
  'm.stream, m.sequence, m.subject, m.msg_id, m.payload, m.headers, m.published_at';

/** A row read with bigint integers. */
export interface MessageRow {
  readonly stream: string;
  readonly sequence: bigint;
  readonly subject: string;
  readonly msg_id: string;
  readonly payload: string;
  readonly headers: string;
  readonly published_at: bigint;
}

export function toBusMessage(row: MessageRow, deliveryCount: number): BusMessage {
  return {
    stream: row.stream,
    subject: row.subject,
    msgId: row.msg_id,
    sequence: row.sequence,
    payload: JSON.parse(row.payload) as JsonValue,
    headers: JSON.parse(row.headers) as Readonly<Record<string, string>>,
    deliveryCount,
    publishedAt: new Date(Number(row.published_at)),
  };
}
