import { isAccountingMonth, monthOf, nextMonth, postingMonth } from './accounting-month';

describe('accounting months', () => {
  it('are UTC calendar months', () => {
    expect(monthOf(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11');
    expect(monthOf(new Date('2026-12-01T00:00:00.000Z'))).toBe('2026-12');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-09')).toBe('2026-10');
    expect(isAccountingMonth('2026-13')).toBe(false);
    expect(isAccountingMonth('2026-01')).toBe(true);
  });

  it('books an item of a closed month in the first open one, marked late', () => {
    expect(postingMonth('2026-11', null)).toEqual({ month: '2026-11', late: false });
    expect(postingMonth('2026-12', '2026-11')).toEqual({ month: '2026-12', late: false });
    expect(postingMonth('2026-10', '2026-11')).toEqual({ month: '2026-12', late: true });
  });
});
