import type { LogLevel } from '@nestjs/common';
import type { LogLevelChoice } from './config';

/** Nest's logger levels for the configured least severe level; `silent` turns the logger off. */
export function nestLogLevels(level: LogLevelChoice): LogLevel[] | false {
  const ordered: LogLevel[] = ['debug', 'log', 'warn', 'error', 'fatal'];
  if (level === 'silent') return false;
  return ordered.slice(ordered.indexOf(level));
}
