import type { JsonObject, RecordedEvent } from '@burndown/ports';
import { int8 } from './int8';

/**
 * One table holds every stream. The identity column is the global position ($all order); a rolled
 * back append burns its identity values, which the port allows (positions may have gaps).
 */
export const EVENT_STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS es_events (
  position     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_name  text        NOT NULL,
  revision     bigint      NOT NULL CHECK (revision >= 0),
  event_id     text        NOT NULL,
  type         text        NOT NULL,
  data         jsonb       NOT NULL,
  metadata     jsonb       NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT es_events_stream_revision_key UNIQUE (stream_name, revision),
  CONSTRAINT es_events_event_id_key UNIQUE (event_id)
);
`;

export const STREAM_REVISION_CONSTRAINT = 'es_events_stream_revision_key';
export const EVENT_ID_CONSTRAINT = 'es_events_event_id_key';

/**
 * int8 columns come back as text (see int8()) under other names: an output column named
 * `position` would make `ORDER BY position` sort the text, putting 10 before 2.
 */
export const EVENT_COLUMNS = `position::text AS position_text, stream_name,
  revision::text AS revision_text, event_id, type, data, metadata, recorded_at`;

export interface EventRow {
  readonly position_text: string;
  readonly stream_name: string;
  readonly revision_text: string;
  readonly event_id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly recorded_at: Date | string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamName: row.stream_name,
    revision: int8(row.revision_text, 'revision'),
    position: int8(row.position_text, 'position'),
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
}

/** A Postgres unique_violation (SQLSTATE 23505) on the named constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && violated === constraint;
}
