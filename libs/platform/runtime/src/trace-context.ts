import { randomBytes } from 'node:crypto';

/** W3C Trace Context, the header OpenTelemetry propagates: HTTP → bus headers → event metadata → relay. */
export const TRACEPARENT = 'traceparent';

const TRACEPARENT_PATTERN = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The caller's trace when it sent a valid one; otherwise a new trace starts here. */
export function continueOrStartTrace(incoming: string | undefined): string {
  if (incoming !== undefined && TRACEPARENT_PATTERN.test(incoming)) return incoming;
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/** The trace fields of a header or metadata record, to pass on unchanged. */
export function traceOf(carrier: Readonly<Record<string, unknown>>): Record<string, string> {
  const value = carrier[TRACEPARENT];
  return typeof value === 'string' && TRACEPARENT_PATTERN.test(value)
    ? { [TRACEPARENT]: value }
    : {};
}
