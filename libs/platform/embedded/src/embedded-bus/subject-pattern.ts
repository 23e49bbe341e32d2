/**
 * A NATS subject pattern as a regular expression (the source of a RegExp), compiled once per
 * consumer. Same meaning as subjectMatches() in @burndown/ports.
 */
export function subjectPatternRegex(pattern: string): string {
  const tokens = pattern.split('.').map((token, index, all) => {
    if (token === '>' && index === all.length - 1) return '.+';
    if (token === '*') return '[^.]+';
    return token.replace(/[\\^$.|?*+()[\]{}-]/g, (c) => `\\${c}`);
  });
  return `^${tokens.join('\\.')}$`;
}

/**
 * Whether a subject matches any of the patterns, with one RegExp compiled once: the bus routes
 * every publish to its stream by testing each stream once, not each of its patterns
 * (WALLET_EVENTS has a pattern per kind of wallet event).
 */
export function subjectPatternsMatcher(patterns: readonly string[]): (subject: string) => boolean {
  if (patterns.length === 0) return () => false;
  const expression = new RegExp(
    patterns.map((pattern) => `(?:${subjectPatternRegex(pattern)})`).join('|'),
  );
  return (subject) => expression.test(subject);
}

/** Subjects are dot-separated non-empty tokens without spaces or wildcards. */
export function isValidSubject(subject: string): boolean {
  return subject.length > 0 && subject.split('.').every((token) => /^[^\s*>.]+$/.test(token));
}
