import { subjectMatches } from '@burndown/ports';
import { subjectPatternsMatcher } from './subject-pattern';

describe('subjectPatternsMatcher', () => {
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
  const matchesAny = (chosen: readonly string[], subject: string) =>
    chosen.some((pattern) => subjectMatches(pattern, subject));

  it('means what subjectMatches means, for each pattern alone and for a set', () => {
    for (const chosen of [...patterns.map((pattern) => [pattern]), patterns.slice(0, 5), []]) {
      const matches = subjectPatternsMatcher(chosen);
      for (const subject of subjects)
        expect([chosen, subject, matches(subject)]).toEqual([
          chosen,
          subject,
          matchesAny(chosen, subject),
        ]);
    }
  });
});
