import { isDateTime } from './is-date-time';

describe('isDateTime', () => {
  it('takes the date-times clients send', () => {
    for (const value of ['2027-06-30T00:00:00Z', '2027-06-30T00:00:00.123+02:00', '2027-06-30'])
      expect([value, isDateTime(value)]).toEqual([value, true]);
  });

  it('refuses ISO 8601 forms JavaScript cannot read, and what is not a date at all', () => {
    // An ordinal date: class-validator's isISO8601 passes it, Date.parse gives NaN (a 500, once).
    for (const value of ['0280001', '2027-02-30T00:00:00Z', 'tomorrow', '', 20270630])
      expect([value, isDateTime(value)]).toEqual([value, false]);
  });
});
