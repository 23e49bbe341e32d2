import type { ServiceName } from '../distributed/services';
import type { DeadLetter } from './burndown-api';

export interface DeadLetterSummary {
  /** How many each service listed (they share one stream on the bus, so normally all equal). */
  readonly listedBy: Partial<Record<ServiceName, number | string>>;
  /** Distinct dead letters, by their own sequence. */
  readonly letters: readonly DeadLetter[];
  /** The usage event ids a dead letter carries, so a lost event can be explained by one. */
  readonly byEventId: ReadonlyMap<string, DeadLetter>;
}

export function indexDeadLetters(
  listed: Readonly<Record<ServiceName, readonly DeadLetter[] | { readonly error: string }>>,
): DeadLetterSummary {
  const listedBy: Partial<Record<ServiceName, number | string>> = {};
  const bySequence = new Map<string, DeadLetter>();
  for (const [service, letters] of Object.entries(listed) as [
    ServiceName,
    readonly DeadLetter[] | { error: string },
  ][]) {
    if (!Array.isArray(letters)) {
      listedBy[service] = `error: ${(letters as { error: string }).error}`;
      continue;
    }
    listedBy[service] = letters.length;
    for (const letter of letters) bySequence.set(letter.sequence, letter);
  }
  const byEventId = new Map<string, DeadLetter>();
  for (const letter of bySequence.values()) {
    for (const id of eventIdsIn(letter)) byEventId.set(id, letter);
  }
  return { listedBy, letters: [...bySequence.values()], byEventId };
}

/** A usage message's id is its msgId and `id`; a debit carries `usageEventId`. */
function eventIdsIn(letter: DeadLetter): string[] {
  const ids = [letter.msgId];
  const payload = letter.payload as { id?: unknown; usageEventId?: unknown } | null;
  if (typeof payload?.id === 'string') ids.push(payload.id);
  if (typeof payload?.usageEventId === 'string') ids.push(payload.usageEventId);
  return ids;
}
