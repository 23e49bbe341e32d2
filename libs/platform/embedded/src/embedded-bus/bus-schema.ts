import type { BusMessage, JsonValue } from '@burndown/ports';
import { int8 } from '../int8';

/**
 * The embedded bus keeps JetStream's model in four tables: streams with their subjects and
 * duplicate window, the messages of every stream, each durable consumer's scan position, and the
 * messages a consumer has taken but not yet acknowledged (with the time they become due again).
 */
export const BUS_SCHEMA = `
CREATE TABLE IF NOT EXISTS bus_streams (
  name                 text   PRIMARY KEY,
  subjects             jsonb  NOT NULL,
  duplicate_window_ms  bigint NOT NULL CHECK (duplicate_window_ms >= 0),
  last_sequence        bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS bus_messages (
  stream        text        NOT NULL,
  sequence      bigint      NOT NULL,
  subject       text        NOT NULL,
  msg_id        text        NOT NULL,
  payload       jsonb       NOT NULL,
  headers       jsonb       NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (stream, sequence)
);
CREATE INDEX IF NOT EXISTS bus_messages_msg_id ON bus_messages (stream, msg_id, published_at);
CREATE TABLE IF NOT EXISTS bus_consumers (
  stream             text   NOT NULL,
  durable_name       text   NOT NULL,
  filter_subject     text,
  delivered_through  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (stream, durable_name)
);
CREATE TABLE IF NOT EXISTS bus_pending (
  stream        text        NOT NULL,
  durable_name  text        NOT NULL,
  sequence      bigint      NOT NULL,
  deliveries    integer     NOT NULL DEFAULT 0,
  due_at        timestamptz NOT NULL,
  PRIMARY KEY (stream, durable_name, sequence)
);
`;

export const MESSAGE_COLUMNS = `m.stream, m.sequence::text AS sequence_text, m.subject, m.msg_id,
  m.payload, m.headers, m.published_at`;

export interface MessageRow {
  readonly stream: string;
  readonly sequence_text: string;
  readonly subject: string;
  readonly msg_id: string;
  readonly payload: JsonValue;
  readonly headers: Readonly<Record<string, string>>;
  readonly published_at: Date | string;
}

export function toBusMessage(row: MessageRow, deliveryCount: number): BusMessage {
  return {
    stream: row.stream,
    subject: row.subject,
    msgId: row.msg_id,
    sequence: int8(row.sequence_text, 'sequence'),
    payload: row.payload,
    headers: row.headers,
    deliveryCount,
    publishedAt: row.published_at instanceof Date ? row.published_at : new Date(row.published_at),
  };
}
