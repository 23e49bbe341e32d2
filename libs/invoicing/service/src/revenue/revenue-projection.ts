import { LRUCache } from 'lru-cache';
import { GroupCommit } from '@burndown/decider-kit';
import {
  addToLine,
  lineKeyOf,
  recognise,
  type AccountingMonth,
  type RevenueFact,
  type RevenueLine,
} from '@burndown/invoicing-domain';
import { PermanentFailure, type BusMessage, type ReadStore } from '@burndown/ports';
import { GroupedWrites } from '@burndown/runtime';
import {
  REVENUE_LINES,
  REVENUE_WALLETS,
  lineDocument,
  lineOfDocument,
  walletDocument,
  walletOfDocument,
  type WalletRevenue,
} from './revenue-documents';
import { revenueFactsOf } from './revenue-facts';
import {
  NO_OVERAGE,
  overageChangeOf,
  withOverageChange,
  type OverageChange,
} from '../overage/overage-booked';

/** Documents of each kind (wallets, lines) kept in memory between batches. */
const MAX_CACHED = 50_000;

interface Pending {
  readonly walletId: string;
  readonly revision: bigint;
  readonly facts: readonly RevenueFact[];
  readonly overage: OverageChange;
  /** Set by the batch that met it: the revision before it has not been applied yet. */
  early?: bigint;
}

/** A wallet's group commit, kept while messages of it are in flight. */
interface WalletBatches {
  readonly batches: GroupCommit<Pending>;
  inFlight: number;
}

/** A message that came before one it follows: nak'd, so it comes again after the missing one. */
export class WalletMessageTooEarly extends Error {
  constructor(walletId: string, revision: bigint, appliedThrough: bigint) {
    super(
      `wallet ${walletId}: revision ${revision} waits for revision ${appliedThrough + 1n} (applied through ${appliedThrough})`,
    );
  }
}

/**
 * Wallet messages → the revenue journal (a line per grant, kind and month; see RevenueLine) and
 * each paid grant's state, in the read store. Lines add up, so applying a message twice or out
 * of order would book it twice or against the wrong rest: each wallet's messages are applied
 * exactly in revision order (every wallet event is published, see docs/asyncapi.yaml), with the
 * revision applied last stored in the same write as the lines and grants it moved. A message at
 * or below it was applied and is acknowledged again; one further ahead than the next is nak'd
 * until the one missing comes again (after a failed write, or a restart that redelivers late).
 *
 * A wallet's messages that arrive while its last batch is written go together in the next (a
 * group commit per wallet with messages in flight); different wallets at once, writes grouped.
 * One consumer applies them (one invoicing process per installation): two would race on a line.
 */
export class RevenueProjection {
  private readonly writes: GroupedWrites;
  private readonly walletBatches = new Map<string, WalletBatches>();
  /** The closed month as read this turn of the event loop: one read for every batch of the turn. */
  private closedThroughThisTurn: Promise<AccountingMonth | null> | undefined;
  // What is stored, for the documents seen lately; updated once a write succeeded.
  private readonly storedWallets = new LRUCache<string, WalletRevenue>({ max: MAX_CACHED });
  private readonly storedLines = new LRUCache<string, RevenueLine>({ max: MAX_CACHED });

  constructor(
    private readonly readStore: ReadStore,
    /** The last closed month, if any: lines dated in it or before go to the first open one. */
    private readonly closedThrough: () => Promise<AccountingMonth | null>,
  ) {
    this.writes = new GroupedWrites(readStore);
  }

  async apply(message: BusMessage): Promise<void> {
    const payload = message.payload as { walletId?: unknown; revision?: unknown; type?: unknown };
    // Balance summaries repeat what the wallet events said.
    if (typeof payload.type !== 'string') return;
    const { walletId, revision } = payload;
    if (typeof walletId !== 'string' || typeof revision !== 'string' || !/^\d+$/.test(revision))
      throw new PermanentFailure('wallet message: walletId or revision missing');
    const pending: Pending = {
      walletId,
      revision: BigInt(revision),
      facts: revenueFactsOf(message.payload),
      overage: overageChangeOf(message.payload),
    };
    let wallet = this.walletBatches.get(walletId);
    if (wallet === undefined) {
      wallet = { batches: new GroupCommit((batch) => this.applyBatch(batch)), inFlight: 0 };
      this.walletBatches.set(walletId, wallet);
    }
    wallet.inFlight++;
    try {
      await wallet.batches.add(pending);
    } finally {
      if (--wallet.inFlight === 0) this.walletBatches.delete(walletId);
    }
    if (pending.early !== undefined)
      throw new WalletMessageTooEarly(walletId, pending.revision, pending.early);
  }

  /** A batch of one wallet's messages, applied in revision order. */
  private async applyBatch(batch: readonly Pending[]): Promise<void> {
    const walletId = (batch[0] as Pending).walletId;
    const closedThrough = await this.closedMonth();
    const before = await this.wallet(walletId);
    let appliedThrough = before.appliedThrough;
    let overage = before.overage;
    const grants = new Map(before.grants);
    const lines = new Map<string, RevenueLine>();
    // Per line, the revision it was last moved by.
    const movedBy = new Map<string, bigint>();
    const inOrder = [...batch].sort((a, b) =>
      a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0,
    );
    for (const pending of inOrder) {
      if (pending.revision <= appliedThrough) continue;
      if (pending.revision !== appliedThrough + 1n) {
        pending.early = appliedThrough;
        // Read the wallet again next time, in case another writer moved it.
        this.storedWallets.delete(walletId);
        continue;
      }
      appliedThrough = pending.revision;
      overage = withOverageChange(overage, pending.overage);
      for (const fact of pending.facts) {
        const { grant, movement } = recognise(grants.get(fact.data.grantId), fact, closedThrough);
        if (grant === undefined || movement === undefined) continue;
        grants.set(fact.data.grantId, grant);
        const lineId = `${walletId}/${lineKeyOf(movement)}`;
        lines.set(
          lineId,
          addToLine(lines.get(lineId) ?? (await this.line(lineId)), movement, lineId),
        );
        movedBy.set(lineId, pending.revision);
      }
    }
    if (appliedThrough === before.appliedThrough) return;
    const after: WalletRevenue = { appliedThrough, grants, overage };
    // Versions are revisions + 1 (revision 0 must pass a store's "greater than nothing"), so
    // they only grow and a write older than what is stored is dropped.
    await this.writes.write([
      ...[...lines].map(([id, line]) => ({
        collection: REVENUE_LINES,
        id,
        version: (movedBy.get(id) as bigint) + 1n,
        document: lineDocument(line),
      })),
      {
        collection: REVENUE_WALLETS,
        id: walletId,
        version: appliedThrough + 1n,
        document: walletDocument(after),
      },
    ]);
    for (const [id, line] of lines) this.storedLines.set(id, line);
    this.storedWallets.set(walletId, after);
  }

  private closedMonth(): Promise<AccountingMonth | null> {
    if (this.closedThroughThisTurn === undefined) {
      this.closedThroughThisTurn = this.closedThrough();
      setImmediate(() => (this.closedThroughThisTurn = undefined));
    }
    return this.closedThroughThisTurn;
  }

  /** Applied through -1 before a wallet's first message (revision 0). */
  private async wallet(walletId: string): Promise<WalletRevenue> {
    const cached = this.storedWallets.get(walletId);
    if (cached !== undefined) return cached;
    const stored = await this.readStore.get(REVENUE_WALLETS, walletId);
    return stored === undefined
      ? { appliedThrough: -1n, grants: new Map(), overage: NO_OVERAGE }
      : walletOfDocument(stored.document);
  }

  private async line(lineId: string): Promise<RevenueLine | undefined> {
    const cached = this.storedLines.get(lineId);
    if (cached !== undefined) return cached;
    const stored = await this.readStore.get(REVENUE_LINES, lineId);
    return stored === undefined ? undefined : lineOfDocument(lineId, stored.document);
  }
}
