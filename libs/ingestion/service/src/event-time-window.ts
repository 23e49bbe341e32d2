import { Inject, Injectable } from '@nestjs/common';
import type { FieldError } from '@burndown/http';
import { CLOCK, type Clock } from '@burndown/ports';
import { BURNDOWN_CONFIG, type BurndownConfig } from '@burndown/runtime';

export interface TimeWindow {
  /** How far past the server's clock a timestamp may be. */
  readonly futureSkewMs: number;
  /** How far before it: the dedupe horizon, beyond which a repeated id is no longer recognised. */
  readonly maxAgeMs: number;
}

/**
 * Why a usage event's own time is refused, or undefined when it is inside the window. A sender's
 * broken clock must neither re-price usage (rating takes the card in force at the event's time)
 * nor use up an id outside the horizon that recognises its repeats.
 */
export function timestampOutsideWindow(
  timestamp: string | undefined,
  now: Date,
  window: TimeWindow,
  field: string,
): FieldError | undefined {
  if (timestamp === undefined) return undefined;
  const at = Date.parse(timestamp);
  if (at > now.getTime() + window.futureSkewMs)
    return {
      field,
      detail: `timestamp ${timestamp} is more than ${seconds(window.futureSkewMs)} ahead of the server's clock (${now.toISOString()})`,
    };
  if (at < now.getTime() - window.maxAgeMs)
    return {
      field,
      detail: `timestamp ${timestamp} is older than the dedupe horizon of ${days(window.maxAgeMs)}; usage that old is not accepted`,
    };
  return undefined;
}

const seconds = (ms: number) => `${ms / 1_000} s`;
const days = (ms: number) => `${ms / 86_400_000} days`;

/** The window as configured (BURNDOWN_EVENT_FUTURE_SKEW_SECONDS, BURNDOWN_DEDUPE_HORIZON_DAYS), on the server's clock. */
@Injectable()
export class EventTimeWindow {
  private readonly window: TimeWindow;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BURNDOWN_CONFIG) config: Pick<BurndownConfig, 'eventFutureSkewMs' | 'dedupeHorizonMs'>,
  ) {
    this.window = { futureSkewMs: config.eventFutureSkewMs, maxAgeMs: config.dedupeHorizonMs };
  }

  refusal(timestamp: string | undefined, field: string): FieldError | undefined {
    return timestampOutsideWindow(timestamp, this.clock.now(), this.window, field);
  }
}
