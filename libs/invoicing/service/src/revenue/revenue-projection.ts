import { GroupCommit } from '@burndown/decider-kit';
import { recognise, type AccountingMonth, type RevenueFact } from '@burndown/invoicing-domain';
import type { BusMessage, ReadModelWrite, ReadStore } from '@burndown/ports';
import { GroupedWrites } from '@burndown/runtime';
import {
  REVENUE_GRANTS,
  REVENUE_LINES,
  grantDocument,
  grantOfDocument,
  lineDocument,
  type GrantRevenueDocument,
} from './revenue-documents';
import { revenueFactsOf } from './revenue-facts';

/** Grants whose revenue state stays in memory between messages. */
const MAX_CACHED_GRANTS = 50_000;

interface Pending {
  readonly walletId: string;
  readonly facts: readonly RevenueFact[];
  /** Delivered before: its lines may be stored already (written, then not acknowledged). */
  readonly redelivered: boolean;
}

/** A wallet's group commit, kept while messages of it are in flight. */
interface WalletBatches {
  readonly batches: GroupCommit<Pending>;
  inFlight: number;
}

/**
 * Wallet messages → the revenue journal (one line per fact) and each paid grant's state, in the
 * read store. A wallet's messages are applied in the order they arrive, those that arrive while
 * its last batch is being written together in the next (a group commit per wallet with messages
 * in flight); different wallets at once, their writes grouped. Lines and grant states of a batch are one write, so a stored line means its fact is
 * in its grant's state: a redelivered message skips the facts whose lines exist.
 */
export class RevenueProjection {
  private readonly writes: GroupedWrites;
  private readonly wallets = new Map<string, WalletBatches>();
  /** The closed month as read this turn of the event loop: one read for every batch of the turn. */
  private closedThroughThisTurn: Promise<AccountingMonth | null> | undefined;
  /** What is stored, for the grants seen lately; updated once a write succeeded. */
  private readonly grants = new Map<string, GrantRevenueDocument>();

  constructor(
    private readonly readStore: ReadStore,
    /** The last closed month, if any: lines dated in it or before go to the first open one. */
    private readonly closedThrough: () => Promise<AccountingMonth | null>,
  ) {
    this.writes = new GroupedWrites(readStore);
  }

  async apply(message: BusMessage): Promise<void> {
    const facts = revenueFactsOf(message.payload);
    if (facts.length === 0) return;
    const walletId = (message.payload as { walletId: string }).walletId;
    let wallet = this.wallets.get(walletId);
    if (wallet === undefined) {
      wallet = { batches: new GroupCommit((batch) => this.applyBatch(batch)), inFlight: 0 };
      this.wallets.set(walletId, wallet);
    }
    wallet.inFlight++;
    try {
      await wallet.batches.add({ walletId, facts, redelivered: message.deliveryCount > 1 });
    } finally {
      if (--wallet.inFlight === 0) this.wallets.delete(walletId);
    }
  }

  private async applyBatch(batch: readonly Pending[]): Promise<void> {
    const closedThrough = await this.closedMonth();
    const writes: ReadModelWrite[] = [];
    const changed = new Map<string, GrantRevenueDocument>();
    for (const pending of batch) {
      for (const fact of pending.facts) {
        // Grant ids are a wallet's own.
        const grantKey = `${pending.walletId}/${fact.data.grantId}`;
        const before = changed.get(grantKey) ?? (await this.stored(grantKey));
        const { grant, movement } = recognise(before?.grant, fact, closedThrough);
        if (grant === undefined || movement === undefined) continue;
        if (
          pending.redelivered &&
          (await this.readStore.get(REVENUE_LINES, movement.id)) !== undefined
        )
          continue;
        changed.set(grantKey, { grant, lines: (before?.lines ?? 0n) + 1n });
        writes.push({
          collection: REVENUE_LINES,
          id: movement.id,
          version: 1n,
          document: lineDocument(movement),
        });
      }
    }
    for (const [grantKey, state] of changed)
      writes.push({
        collection: REVENUE_GRANTS,
        id: grantKey,
        version: state.lines,
        document: grantDocument(state),
      });
    if (writes.length > 0) await this.writes.write(writes);
    for (const [grantKey, state] of changed) this.remember(grantKey, state);
  }

  private closedMonth(): Promise<AccountingMonth | null> {
    if (this.closedThroughThisTurn === undefined) {
      this.closedThroughThisTurn = this.closedThrough();
      setImmediate(() => (this.closedThroughThisTurn = undefined));
    }
    return this.closedThroughThisTurn;
  }

  private async stored(grantKey: string): Promise<GrantRevenueDocument | undefined> {
    const cached = this.grants.get(grantKey);
    if (cached !== undefined) return cached;
    const stored = await this.readStore.get(REVENUE_GRANTS, grantKey);
    return stored === undefined ? undefined : grantOfDocument(stored.document, stored.version);
  }

  private remember(grantKey: string, state: GrantRevenueDocument): void {
    this.grants.delete(grantKey);
    this.grants.set(grantKey, state);
    if (this.grants.size > MAX_CACHED_GRANTS) {
      const oldest = this.grants.keys().next().value;
      if (oldest !== undefined) this.grants.delete(oldest);
    }
  }
}
