import { subjectMatches } from '@burndown/ports';
import { subjectFilterSql } from './message-scan';

/** What SQLite's substr(subject, 1, length(prefix)) = prefix and `=` decide, in JavaScript. */
function sqlKeeps(condition: ReturnType<typeof subjectFilterSql>, subject: string): boolean {
  if (condition.sql === '') return condition.finish?.test(subject) ?? true;
  if (condition.sql.includes('m.subject = ?')) return subject === condition.params[0];
  const prefix = condition.params[0] as string;
  return (
    subject.startsWith(prefix) && (condition.finish === undefined || condition.finish.test(subject))
  );
}

describe('subjectFilterSql', () => {
  const subjects = [
    'debits.3.cust-1',
    'debits.30.cust-1',
    'debits.3',
    'usage.tokens.cust-1',
    'usage.images',
    'wallet.balance-changed.w-1',
  ];

  it.each([
    ['debits.3.>', ['debits.>']],
    ['debits.*.cust-1', ['debits.>']],
    ['usage.tokens.cust-1', ['usage.>']],
    ['*.tokens.>', ['usage.>']],
    ['wallet.balance-changed.>', ['wallet.>']],
  ])('selects in SQL what %s matches', (filter, streamSubjects) => {
    const condition = subjectFilterSql(filter, streamSubjects);
    for (const subject of subjects)
      expect([subject, sqlKeeps(condition, subject)]).toEqual([
        subject,
        subjectMatches(filter, subject),
      ]);
  });

  it('adds no condition for no filter, or a filter equal to the stream’s one subject pattern', () => {
    expect(subjectFilterSql(undefined, ['usage.>']).sql).toBe('');
    expect(subjectFilterSql('usage.>', ['usage.>']).sql).toBe('');
    expect(subjectFilterSql('usage.>', ['usage.>', 'metered.>']).sql).not.toBe('');
  });

  it('needs no regular expression after a literal prefix and a trailing >', () => {
    expect(subjectFilterSql('debits.3.>', ['debits.>']).finish).toBeUndefined();
    expect(subjectFilterSql('debits.*.cust-1', ['debits.>']).finish).toBeInstanceOf(RegExp);
  });
});
