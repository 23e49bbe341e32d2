import type { DeadLetterSummary } from './dead-letter-index';
import type { EventBook, EventRecord } from './event-book';
import type { WalletEvidence } from './collect-evidence';

export interface EventFinding {
  readonly id: string;
  readonly customerId: string;
  readonly kind: string;
  readonly phase: string;
  readonly answers: EventRecord['answers'];
  readonly debits: number;
  readonly debitedIn: readonly string[];
  readonly deadLetter?: string;
  readonly rejection?: string;
}

export interface EventAudit {
  readonly sent: number;
  /** Ids the bus stored by ingestion's answers: each must be debited exactly once. */
  readonly stored: number;
  /** Of those, stored on an attempt whose answer was lost (a later retry answered `duplicate`). */
  readonly storedWithLostAnswer: number;
  readonly debitedOnce: number;
  readonly lost: readonly EventFinding[];
  readonly doubled: readonly EventFinding[];
  readonly wrongWallet: readonly EventFinding[];
  readonly rejected: readonly EventFinding[];
  readonly unresolved: readonly EventFinding[];
  /** Ingestion answered `accepted` more than once for one id: its dedupe let a repeat through. */
  readonly acceptedTwice: readonly EventFinding[];
  /** Debits whose usage event id the harness never sent. */
  readonly neverSent: readonly {
    readonly id: string;
    readonly debits: number;
    readonly debitedIn: readonly string[];
  }[];
  readonly storm: {
    readonly ids: number;
    readonly copiesAccepted: number;
    readonly copiesDuplicate: number;
    readonly debitedOnce: number;
    readonly lost: number;
    readonly doubled: number;
  };
  /** Debit amounts (micro-credits) and how many debits had each: every load event is the same usage. */
  readonly debitAmounts: Readonly<Record<string, number>>;
}

interface Debits {
  count: number;
  readonly wallets: string[];
}

/** Every id ingestion stored against every debit line of every ledger: each once, nothing else. */
export function auditEvents(
  book: EventBook,
  wallets: readonly WalletEvidence[],
  deadLetters: DeadLetterSummary,
): EventAudit {
  const debits = new Map<string, Debits>();
  const debitAmounts: Record<string, number> = {};
  for (const wallet of wallets) {
    for (const line of wallet.ledger) {
      if (line.entryType !== 'debit' || line.usageEventId === undefined) continue;
      const found = debits.get(line.usageEventId) ?? { count: 0, wallets: [] };
      found.count++;
      found.wallets.push(wallet.walletId);
      debits.set(line.usageEventId, found);
      debitAmounts[line.amount] = (debitAmounts[line.amount] ?? 0) + 1;
    }
  }
  const finding = (record: EventRecord): EventFinding => {
    const found = debits.get(record.id);
    const letter = deadLetters.byEventId.get(record.id);
    return {
      id: record.id,
      customerId: record.customerId,
      kind: record.kind,
      phase: record.phase,
      answers: record.answers,
      debits: found?.count ?? 0,
      debitedIn: found?.wallets ?? [],
      ...(letter === undefined
        ? {}
        : { deadLetter: `${letter.consumer} #${letter.sequence}: ${letter.reason}` }),
      ...(record.rejection === undefined ? {} : { rejection: record.rejection }),
    };
  };
  const lost: EventFinding[] = [];
  const doubled: EventFinding[] = [];
  const wrongWallet: EventFinding[] = [];
  const rejected: EventFinding[] = [];
  const unresolved: EventFinding[] = [];
  const acceptedTwice: EventFinding[] = [];
  const storm = {
    ids: 0,
    copiesAccepted: 0,
    copiesDuplicate: 0,
    debitedOnce: 0,
    lost: 0,
    doubled: 0,
  };
  let stored = 0;
  let storedWithLostAnswer = 0;
  let debitedOnce = 0;
  for (const record of book.all()) {
    const count = debits.get(record.id)?.count ?? 0;
    if (record.kind === 'storm') {
      storm.ids++;
      storm.copiesAccepted += record.answers.accepted ?? 0;
      storm.copiesDuplicate += record.answers.duplicate ?? 0;
    }
    if (record.acceptedAnswers > 1) acceptedTwice.push(finding(record));
    // A copy never answered: ingestion did not settle it before the harness stopped retrying.
    if (record.unresolvedCopies > 0) unresolved.push(finding(record));
    if (record.stored) {
      stored++;
      if (record.storedWithLostAnswer) storedWithLostAnswer++;
      if (count === 0) lost.push(finding(record));
      else if (count > 1) doubled.push(finding(record));
      else debitedOnce++;
      if (record.kind === 'storm') {
        if (count === 0) storm.lost++;
        else if (count > 1) storm.doubled++;
        else storm.debitedOnce++;
      }
      if ((debits.get(record.id)?.wallets ?? []).some((walletId) => walletId !== record.customerId))
        wrongWallet.push(finding(record));
    } else if (record.unresolvedCopies === 0) {
      rejected.push(finding(record));
    }
  }
  const neverSent = [...debits]
    .filter(([id]) => book.get(id) === undefined)
    .map(([id, found]) => ({ id, debits: found.count, debitedIn: found.wallets }));
  return {
    sent: book.size,
    stored,
    storedWithLostAnswer,
    debitedOnce,
    lost,
    doubled,
    wrongWallet,
    rejected,
    unresolved,
    acceptedTwice,
    neverSent,
    storm,
    debitAmounts,
  };
}
