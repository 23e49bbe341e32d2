import type { BurndownApi, LedgerLine } from './burndown-api';

export interface QuiescenceOptions {
  readonly quietSeconds: number;
  readonly stallSeconds: number;
  readonly deadlineMs: number;
  readonly pollMs?: number;
}

export interface QuiescenceOutcome {
  /** quiet: every expected debit is in and nothing moved for quietSeconds; stalled: debits are missing and nothing moved for stallSeconds. */
  readonly outcome: 'quiet' | 'stalled' | 'deadline';
  readonly waitedMs: number;
  readonly lastChangeAt: number;
  readonly debitedExpected: number;
  readonly expected: number;
}

/**
 * The ledger is a projection, so after the load stops the audit waits until nothing moves any
 * more: every wallet's revision (its own stream) and ledger length unchanged for `quietSeconds`.
 * While waiting it follows each ledger incrementally, rereading only its last page.
 */
export async function waitForQuiescence(
  api: BurndownApi,
  walletIds: readonly string[],
  isExpected: (usageEventId: string) => boolean,
  expected: number,
  options: QuiescenceOptions,
  log: (line: string) => void,
): Promise<QuiescenceOutcome> {
  const startedAt = Date.now();
  const follower = new LedgerFollower(api);
  let signature = '';
  let lastChangeAt = Date.now();
  let lastLogAt = 0;
  for (;;) {
    let current: string;
    try {
      const revisions: string[] = [];
      for (const walletId of walletIds) {
        await follower.refresh(walletId);
        revisions.push(`${(await api.wallet(walletId)).revision}/${follower.lines(walletId)}`);
      }
      current = revisions.join(',');
    } catch (error) {
      // A read that fails is not progress; try again at the next poll.
      log(`quiescence poll failed: ${(error as Error).message}`);
      current = signature;
    }
    const now = Date.now();
    if (current !== signature) {
      signature = current;
      lastChangeAt = now;
    }
    const debitedExpected = follower.countDebited(isExpected);
    const quietMs = now - lastChangeAt;
    const complete = debitedExpected >= expected;
    const done = (outcome: QuiescenceOutcome['outcome']): QuiescenceOutcome => ({
      outcome,
      waitedMs: now - startedAt,
      lastChangeAt,
      debitedExpected,
      expected,
    });
    if (now - lastLogAt >= 10_000) {
      lastLogAt = now;
      log(
        `settling: ${debitedExpected}/${expected} expected debits in the ledgers, ${follower.totalLines()} ledger lines, unchanged for ${Math.round(quietMs / 1000)} s`,
      );
    }
    if (complete && quietMs >= options.quietSeconds * 1000) return done('quiet');
    if (!complete && quietMs >= options.stallSeconds * 1000) return done('stalled');
    if (now >= options.deadlineMs) return done('deadline');
    await new Promise((wake) => setTimeout(wake, options.pollMs ?? 3_000));
  }
}

/** Each wallet's ledger lines by revision, read page by page and resumed at the last page. */
class LedgerFollower {
  private readonly byWallet = new Map<string, Map<string, LedgerLine>>();
  /** The cursor of each ledger's last page: the next read starts there, so the tail is reread. */
  private readonly lastPage = new Map<string, string | undefined>();

  constructor(private readonly api: BurndownApi) {}

  async refresh(walletId: string): Promise<void> {
    let lines = this.byWallet.get(walletId);
    if (lines === undefined) {
      lines = new Map();
      this.byWallet.set(walletId, lines);
    }
    let cursor = this.lastPage.get(walletId);
    for (;;) {
      const page = await this.api.ledgerPage(walletId, cursor);
      for (const line of page.data) lines.set(line.revision, line);
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    this.lastPage.set(walletId, cursor);
  }

  lines(walletId: string): number {
    return this.byWallet.get(walletId)?.size ?? 0;
  }

  totalLines(): number {
    let total = 0;
    for (const lines of this.byWallet.values()) total += lines.size;
    return total;
  }

  countDebited(isExpected: (usageEventId: string) => boolean): number {
    const debited = new Set<string>();
    for (const lines of this.byWallet.values()) {
      for (const line of lines.values()) {
        if (
          line.entryType === 'debit' &&
          line.usageEventId !== undefined &&
          isExpected(line.usageEventId)
        )
          debited.add(line.usageEventId);
      }
    }
    return debited.size;
  }
}
