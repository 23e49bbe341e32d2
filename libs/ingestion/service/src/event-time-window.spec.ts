import { timestampOutsideWindow } from './event-time-window';
import { conflictingRepeats } from './in-batch-conflicts';
import type { UsageEventDto } from './usage-event.dto';

describe('the usage time window', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const window = { futureSkewMs: 300_000, maxAgeMs: 35 * 86_400_000 };
  const refusal = (timestamp: string | undefined) =>
    timestampOutsideWindow(timestamp, now, window, 'timestamp');

  it('takes events from the dedupe horizon up to the allowed skew ahead, and events without a time', () => {
    expect(refusal(undefined)).toBeUndefined();
    expect(refusal('2026-12-07T12:05:00Z')).toBeUndefined();
    expect(refusal('2026-11-02T12:00:00Z')).toBeUndefined();
  });

  it('refuses one millisecond beyond either edge, saying which', () => {
    expect(refusal('2026-12-07T12:05:00.001Z')?.detail).toMatch(/more than 300 s ahead/);
    expect(refusal('2026-11-02T11:59:59.999Z')?.detail).toMatch(
      /older than the dedupe horizon of 35 days/,
    );
    expect(refusal('2036-12-07T12:00:00Z')?.field).toBe('timestamp');
  });
});

describe('ids repeated in one batch', () => {
  const event = (
    id: string,
    quantity: string | number,
    properties: Record<string, string> = {},
  ) => ({
    index: 0,
    event: {
      id,
      customerId: 'c',
      type: 'tokens',
      quantity,
      properties,
    } as unknown as UsageEventDto,
  });
  const at = (index: number, item: ReturnType<typeof event>) => ({ ...item, index });

  it('names both occurrences of an id sent with two contents', () => {
    const errors = conflictingRepeats(
      [at(0, event('a', '5')), at(1, event('b', '1')), at(2, event('a', '6'))],
      (index) => `events[${index}].id`,
    );
    expect(errors.map((error) => error.field)).toEqual(['events[0].id', 'events[2].id']);
  });

  it('sees no conflict in identical repeats, however the quantity or properties are written', () => {
    const errors = conflictingRepeats(
      [at(0, event('a', '5', { x: '1', y: '2' })), at(1, event('a', 5, { y: '2', x: '1' }))],
      (index) => `events[${index}].id`,
    );
    expect(errors).toEqual([]);
  });
});
