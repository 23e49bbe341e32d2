import { auditBalances, type BalanceAudit } from './balance-audit';
import type { Evidence } from './collect-evidence';
import { indexDeadLetters, type DeadLetterSummary } from './dead-letter-index';
import type { EventBook } from './event-book';
import { auditEvents, type EventAudit } from './event-audit';
import type { FaultRecord } from './fault-injector';
import type { QuiescenceOutcome } from './quiescence';

export interface Audit {
  readonly events: EventAudit;
  readonly balances: readonly BalanceAudit[];
  readonly deadLetters: DeadLetterSummary;
  /** Each makes the run fail (exit 1): something lost, applied twice, or not adding up. */
  readonly failures: readonly string[];
  /** Worth a look, but nothing was lost or double-applied. */
  readonly warnings: readonly string[];
}

export function audit(
  book: EventBook,
  evidence: Evidence,
  granted: ReadonlyMap<string, bigint>,
  faults: readonly FaultRecord[],
  settle: QuiescenceOutcome,
): Audit {
  const deadLetters = indexDeadLetters(evidence.deadLetters);
  const events = auditEvents(book, evidence.wallets, deadLetters);
  const balances = auditBalances(evidence.wallets, granted);
  const failures: string[] = [];
  const warnings: string[] = [];
  const fail = (count: number, text: string) => count > 0 && failures.push(`${count} ${text}`);
  fail(events.lost.length, 'stored events never debited (lost)');
  fail(events.doubled.length, 'events debited more than once');
  fail(events.wrongWallet.length, "events debited from a wallet other than their customer's");
  fail(events.neverSent.length, 'debits for event ids the harness never sent');
  fail(events.rejected.length, 'valid events rejected by ingestion');
  fail(events.unresolved.length, 'events ingestion never gave a definitive answer for');
  fail(
    balances.filter((wallet) => wallet.problems.length > 0).length,
    'wallets whose balance, ledger, grants or hash chain do not agree',
  );
  fail(
    faults.filter((fault) => fault.healthyAt === undefined).length,
    'processes that did not come back after their fault',
  );
  if (events.storm.ids > 0 && events.storm.debitedOnce !== events.storm.ids)
    failures.push(
      `duplicate storm: ${events.storm.debitedOnce} of ${events.storm.ids} ids burned exactly once`,
    );
  if (events.acceptedTwice.length > 0)
    warnings.push(
      `${events.acceptedTwice.length} ids answered "accepted" more than once (ingestion dedupe let a repeat through; the wallets deduped it)`,
    );
  if (deadLetters.letters.length > 0)
    warnings.push(`${deadLetters.letters.length} dead letters on the bus`);
  if (settle.outcome !== 'quiet')
    warnings.push(
      `the pipeline did not settle (${settle.outcome}); the audit ran on what the ledgers showed then`,
    );
  if (Object.keys(events.debitAmounts).length > 1)
    warnings.push(
      `debits of identical usage have different amounts: ${JSON.stringify(events.debitAmounts)}`,
    );
  return { events, balances, deadLetters, failures, warnings };
}
