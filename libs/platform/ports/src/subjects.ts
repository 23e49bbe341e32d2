/**
 * NATS subject matching: tokens split on '.', '*' matches one token, '>' (last) one or more.
 * Shared by every bus adapter so filters mean the same everywhere.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  for (let i = 0; i < want.length; i++) {
    const token = want[i];
    if (token === '>') return have.length > i;
    if (i >= have.length) return false;
    if (token !== '*' && token !== have[i]) return false;
  }
  return want.length === have.length;
}

/**
 * subjectMatches for a set of patterns, compiled once into one regular expression: a bus that
 * routes every publish to its stream tests each stream once instead of splitting the subject per
 * pattern (WALLET_EVENTS alone has a pattern per kind).
 */
export function subjectMatcher(patterns: readonly string[]): (subject: string) => boolean {
  const alternatives = patterns.map((pattern) =>
    pattern
      .split('.')
      .map((token) =>
        token === '>'
          ? '.+'
          : token === '*'
            ? '[^.]+'
            : token.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&'),
      )
      .join('\\.'),
  );
  const expression = new RegExp(`^(?:${alternatives.join('|')})$`);
  return (subject) => expression.test(subject);
}
