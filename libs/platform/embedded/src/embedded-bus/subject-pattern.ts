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

/** Subjects are dot-separated non-empty tokens without spaces or wildcards. */
export function isValidSubject(subject: string): boolean {
  return subject.length > 0 && subject.split('.').every((token) => /^[^\s*>.]+$/.test(token));
}
