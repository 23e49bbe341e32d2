import fc from 'fast-check';
import {
  billingPeriod,
  periodContaining,
  periodStart,
  type BillingInterval,
} from './billing-period';

const at = (iso: string) => new Date(iso);

describe('billing periods, anchored on the subscription, in UTC', () => {
  it('keeps the anchor day, clamped to short months, and comes back to it', () => {
    const anchor = at('2027-01-31T10:30:00Z');
    expect(
      [0, 1, 2, 3, 13].map((index) => periodStart(anchor, 'month', index).toISOString()),
    ).toEqual([
      '2027-01-31T10:30:00.000Z',
      '2027-02-28T10:30:00.000Z',
      '2027-03-31T10:30:00.000Z',
      '2027-04-30T10:30:00.000Z',
      '2028-02-29T10:30:00.000Z',
    ]);
  });

  it('yearly periods of a 29 February anchor fall on 28 February in common years', () => {
    const anchor = at('2028-02-29T00:00:00Z');
    expect(billingPeriod(anchor, 'year', 1)).toEqual({
      index: 1,
      start: at('2029-02-28T00:00:00Z'),
      end: at('2030-02-28T00:00:00Z'),
    });
    expect(periodStart(anchor, 'year', 4)).toEqual(at('2032-02-29T00:00:00Z'));
  });

  it('finds the period an instant falls in: its start inclusive, its end exclusive', () => {
    const anchor = at('2027-01-15T00:00:00Z');
    expect(periodContaining(anchor, 'month', at('2027-03-15T00:00:00Z')).index).toBe(2);
    expect(periodContaining(anchor, 'month', at('2027-03-14T23:59:59.999Z')).index).toBe(1);
    expect(() => periodContaining(anchor, 'month', at('2027-01-14T00:00:00Z'))).toThrow(RangeError);
  });

  it('tiles time: consecutive periods touch, and every instant after the anchor is in exactly the period found', () => {
    const instant = fc.date({
      min: at('2000-01-01T00:00:00Z'),
      max: at('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 30 * 366 * 86_400_000 }),
        fc.constantFrom<BillingInterval>('month', 'year'),
        (anchor, offsetMs, interval) => {
          const when = new Date(anchor.getTime() + offsetMs);
          const period = periodContaining(anchor, interval, when);
          expect(period.start <= when && when < period.end).toBe(true);
          expect(billingPeriod(anchor, interval, period.index + 1).start).toEqual(period.end);
          if (period.index > 0)
            expect(billingPeriod(anchor, interval, period.index - 1).end).toEqual(period.start);
          // Periods are 28–31 days (months) or 365–366 days (years) long.
          const days = (period.end.getTime() - period.start.getTime()) / 86_400_000;
          if (interval === 'month') expect(days >= 28 && days <= 31).toBe(true);
          else expect(days >= 365 && days <= 366).toBe(true);
        },
      ),
    );
  });
});
