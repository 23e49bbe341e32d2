import { subjectMatcher, subjectMatches } from './subjects';

describe('subjectMatcher', () => {
  const patterns = ['usage.>', 'debits.*.>', 'wallet.debited.>', 'wallet.opened.*', 'a-b_c.x', '>'];
  const subjects = [
    'usage.acme',
    'usage',
    'usage.acme.more',
    'debits.3.w1',
    'debits.3',
    'wallet.debited.w-1',
    'wallet.debitedx.w1',
    'wallet.opened.w1',
    'wallet.opened.w1.extra',
    'a-b_c.x',
    'a-b_cxx',
    'x',
  ];

  it('means what subjectMatches means, for each pattern alone and for the set', () => {
    for (const pattern of patterns) {
      const matches = subjectMatcher([pattern]);
      for (const subject of subjects)
        expect([pattern, subject, matches(subject)]).toEqual([
          pattern,
          subject,
          subjectMatches(pattern, subject),
        ]);
    }
    const some = subjectMatcher(patterns.slice(0, 5));
    for (const subject of subjects)
      expect([subject, some(subject)]).toEqual([
        subject,
        patterns.slice(0, 5).some((pattern) => subjectMatches(pattern, subject)),
      ]);
  });
});
