import { audit } from './audit';
import type { LedgerLine } from './burndown-api';
import type { Evidence, WalletEvidence } from './collect-evidence';
import { EventBook, type Submission } from './event-book';
import type { QuiescenceOutcome } from './quiescence';

// The audit is what makes `npm run faults` fail: it must see every way an event can go wrong.
const GRANT = 10_000_000n;
const PRICE = 1_000_000n;
const settled: QuiescenceOutcome = {
  outcome: 'quiet',
  waitedMs: 0,
  lastChangeAt: 0,
  debitedExpected: 0,
  expected: 0,
};

const submission = (id: string, customerId = 'acme', copy = 1): Submission => ({
  event: { id, customerId, type: 'llm.tokens', quantity: '1000' },
  kind: id.startsWith('storm') ? 'storm' : 'load',
  copy,
  attempts: 1,
});

type Reply = 'accepted' | 'duplicate' | 'rejected' | 'no-answer';

/** Per id, per copy sent, the answers its attempts got. */
function bookOf(copies: Record<string, readonly (readonly Reply[])[]>): EventBook {
  const book = new EventBook(() => 'warm-up');
  for (const [id, attemptsPerCopy] of Object.entries(copies)) {
    attemptsPerCopy.forEach((attempts, index) => {
      const sent = submission(id, 'acme', index + 1);
      book.submitted(sent);
      for (const reply of attempts) book.answered(sent, reply);
    });
  }
  return book;
}

/** A wallet whose ledger holds the grant and one debit per id, and whose balance agrees unless told. */
function wallet(debitIds: readonly string[], balance?: bigint, walletId = 'acme'): WalletEvidence {
  let running = GRANT;
  const ledger: LedgerLine[] = [
    { revision: '1', entryType: 'grant', amount: GRANT.toString(), balanceAfter: GRANT.toString() },
  ];
  debitIds.forEach((usageEventId, index) => {
    running -= PRICE;
    ledger.push({
      revision: String(index + 2),
      entryType: 'debit',
      amount: (-PRICE).toString(),
      usageEventId,
      balanceAfter: running.toString(),
    });
  });
  return {
    walletId,
    balance: balance ?? running,
    revision: String(ledger.length),
    ledger,
    verification: { intact: true, events: ledger.length },
  };
}

const evidence = (...wallets: WalletEvidence[]): Evidence => ({
  wallets,
  deadLetters: { ingestion: [], rating: [], wallets: [], entitlements: [], invoicing: [] },
});
const granted = new Map([['acme', GRANT]]);

describe('fault harness audit', () => {
  it('passes when every stored id is debited once and the wallet adds up', () => {
    const result = audit(
      bookOf({ e1: [['accepted']], e2: [['no-answer', 'duplicate']] }),
      evidence(wallet(['e1', 'e2'])),
      granted,
      [],
      settled,
    );
    expect(result.failures).toEqual([]);
    expect(result.events.storedWithLostAnswer).toBe(1);
  });

  it('fails on a lost event, a double debit and a debit for an id never sent', () => {
    const result = audit(
      bookOf({ e1: [['accepted']], e2: [['accepted']] }),
      evidence(wallet(['e1', 'e1', 'ghost'])),
      granted,
      [],
      settled,
    );
    expect(result.events.lost.map(({ id }) => id)).toEqual(['e2']);
    expect(result.events.doubled.map(({ id }) => id)).toEqual(['e1']);
    expect(result.events.neverSent.map(({ id }) => id)).toEqual(['ghost']);
    expect(result.failures).toHaveLength(3);
  });

  it('counts a storm id burned once across three copies, and fails when it burns twice', () => {
    const storm = { 'storm-1': [['accepted'], ['duplicate'], ['duplicate']] as Reply[][] };
    expect(
      audit(bookOf(storm), evidence(wallet(['storm-1'])), granted, [], settled).events.storm,
    ).toMatchObject({ ids: 1, copiesAccepted: 1, copiesDuplicate: 2, debitedOnce: 1 });
    const twice = audit(
      bookOf(storm),
      evidence(wallet(['storm-1', 'storm-1'])),
      granted,
      [],
      settled,
    );
    expect(twice.failures).toContain('duplicate storm: 0 of 1 ids burned exactly once');
  });

  it('fails when the balance disagrees with the ledger, or a chain is broken', () => {
    const result = audit(
      bookOf({ e1: [['accepted']] }),
      evidence({
        ...wallet(['e1'], GRANT),
        verification: { intact: false, brokenAtRevision: '2', reason: 'hash mismatch' },
      }),
      granted,
      [],
      settled,
    );
    expect(result.balances[0]?.problems).toEqual([
      `balance ${GRANT} ≠ sum of ledger lines ${GRANT - PRICE} (off by ${PRICE})`,
      `balance ${GRANT} ≠ granted − debited ${GRANT - PRICE}`,
      `last ledger line's balanceAfter ${GRANT - PRICE} ≠ balance ${GRANT}`,
      'hash chain: broken at revision 2: hash mismatch',
    ]);
    expect(result.failures).toEqual([
      '1 wallets whose balance, ledger, grants or hash chain do not agree',
    ]);
  });

  it('fails on events rejected or never answered, and on a debit from the wrong wallet', () => {
    const result = audit(
      bookOf({ e1: [['rejected']], e2: [['no-answer']], e3: [['accepted']] }),
      evidence(wallet([]), wallet(['e3'], undefined, 'other')),
      new Map([...granted, ['other', GRANT]]),
      [],
      settled,
    );
    expect(result.events.rejected.map(({ id }) => id)).toEqual(['e1']);
    expect(result.events.unresolved.map(({ id }) => id)).toEqual(['e2']);
    expect(result.events.wrongWallet.map(({ id }) => id)).toEqual(['e3']);
  });
});
