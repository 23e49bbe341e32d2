import type { JsonObject, RecordedEvent } from '@burndown/ports';

/**
 * One table holds every stream. The rowid is the global position ($all order): one connection
 * commits appends one after the other, so positions become visible in order. JSON is kept as text;
 * times as epoch milliseconds.
 */
export const EVENT_STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS es_events (
  position     INTEGER PRIMARY KEY,
  stream_name  TEXT    NOT NULL,
  revision     INTEGER NOT NULL CHECK (revision >= 0),
  event_id     TEXT    NOT NULL,
  type         TEXT    NOT NULL,
  data         TEXT    NOT NULL,
  metadata     TEXT    NOT NULL,
  recorded_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS es_events_stream_revision ON es_events (stream_name, revision);
CREATE UNIQUE INDEX IF NOT EXISTS es_events_event_id ON es_events (event_id);
`;

export const EVENT_COLUMNS =
  'position, stream_name, revision, event_id, type, data, metadata, recorded_at';

/** A row read with bigint integers. */
export interface EventRow {
  readonly position: bigint;
  readonly stream_name: string;
  readonly revision: bigint;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: bigint;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamName: row.stream_name,
    revision: row.revision,
    position: row.position,
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as JsonObject,
    recordedAt: new Date(Number(row.recorded_at)),
  };
}

/** SQLite's message for a violated unique index names its columns. */
export function isUniqueViolation(error: unknown, columns: string): boolean {
  // Not `instanceof Error`: node:sqlite's errors come from another realm under jest's vm.
  const message = String((error as { message?: unknown } | null)?.message ?? '');
  return message.includes('UNIQUE constraint failed') && message.includes(columns);
}
