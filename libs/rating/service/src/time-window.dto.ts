import { IsDateTime } from '@burndown/http';
import { IsOptional } from 'class-validator';

/** A window of usage time: `from` inclusive, `to` exclusive; either end may be open. */
export class TimeWindowDto {
  @IsOptional()
  @IsDateTime()
  readonly from?: string;

  @IsOptional()
  @IsDateTime()
  readonly to?: string;
}

export function inWindow(window: TimeWindowDto): (isoTime: string) => boolean {
  const from = window.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(window.from);
  const to = window.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(window.to);
  return (isoTime) => {
    const at = Date.parse(isoTime);
    return at >= from && at < to;
  };
}
