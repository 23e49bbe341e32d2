import BTree from 'sorted-btree';
import { adopt, compareStrings, editable, ownedByBatch } from '@burndown/decider-kit';
import {
  compareDrawdownKeys,
  covers,
  drawdownKey,
  isInForce,
  type DrawdownKey,
  type Grant,
} from './grant';

/**
 * A wallet's grants as a persistent structure: every change returns a new book that shares all
 * untouched nodes with the old one (B+ trees cloned copy-on-write), so a debit costs O(log n) in
 * the number of grants, not O(n), and earlier states stay valid.
 */
export class GrantBook {
  private constructor(
    private readonly byId: BTree<string, Grant>,
    /** Grants with free credit left, in drawdown order. */
    private readonly spendable: BTree<DrawdownKey, string>,
    /** Grants with free credit left, by effective time: to find those not in force yet. */
    private readonly byEffectiveAt: BTree<TimeKey, string>,
    /** Grants with free credit left and an expiry, by expiry: to find those past it. */
    private readonly byExpiresAt: BTree<TimeKey, string>,
    /** Sum of `remaining` over every grant, in force or not. */
    readonly remainingTotal: bigint,
    /** Sum of `held` over every grant. */
    readonly heldTotal: bigint,
  ) {}

  static empty(): GrantBook {
    return new GrantBook(
      new BTree(undefined, compareStrings),
      new BTree(undefined, compareDrawdownKeys),
      new BTree(undefined, compareTimeKeys),
      new BTree(undefined, compareTimeKeys),
      0n,
      0n,
    );
  }

  get size(): number {
    return this.byId.size;
  }

  get(grantId: string): Grant | undefined {
    return this.byId.get(grantId);
  }

  has(grantId: string): boolean {
    return this.byId.has(grantId);
  }

  all(): IterableIterator<Grant> {
    return this.byId.values();
  }

  /**
   * Moves credit on one grant: `remainingDelta` to its free credit, `heldDelta` to its earmarks.
   * In a batch, a grant and book the batch created are edited in place when the order indexes
   * stay as they are (the grant keeps having free credit, or keeps having none).
   */
  adjust(grantId: string, remainingDelta: bigint, heldDelta: bigint): GrantBook {
    const grant = this.byId.get(grantId);
    if (grant === undefined)
      throw new Error(`corrupt wallet stream: allocation to unknown grant ${grantId}`);
    const remaining = grant.remaining + remainingDelta;
    if (ownedByBatch(this) && ownedByBatch(grant) && grant.remaining > 0n === remaining > 0n) {
      const editing = grant as { -readonly [Field in keyof Grant]: Grant[Field] };
      editing.remaining = remaining;
      editing.held += heldDelta;
      const book = this as { -readonly [Field in keyof GrantBook]: GrantBook[Field] };
      book.remainingTotal += remainingDelta;
      book.heldTotal += heldDelta;
      return this;
    }
    const changed: Grant = { ...grant, remaining, held: grant.held + heldDelta };
    adopt(changed);
    return this.put(changed);
  }

  /** Adds a grant or replaces the one with the same id. */
  put(grant: Grant): GrantBook {
    const previous = this.byId.get(grant.grantId);
    const byId = editable(this.byId);
    byId.set(grant.grantId, grant);
    const wasSpendable = previous !== undefined && previous.remaining > 0n;
    const isSpendable = grant.remaining > 0n;
    let { spendable, byEffectiveAt, byExpiresAt } = this;
    // The order indexes hold ids by keys that only change when a grant starts or stops having
    // free credit (or is replaced with other terms): a plain debit touches byId alone.
    if (
      (wasSpendable || isSpendable) &&
      !(wasSpendable && isSpendable && sameIndexKeys(previous, grant))
    ) {
      spendable = editable(spendable);
      byEffectiveAt = editable(byEffectiveAt);
      byExpiresAt = editable(byExpiresAt);
      if (wasSpendable) {
        spendable.delete(drawdownKey(previous));
        byEffectiveAt.delete(effectiveKey(previous));
        if (previous.expiresAt !== null) byExpiresAt.delete(expiryKey(previous));
      }
      if (isSpendable) {
        spendable.set(drawdownKey(grant), grant.grantId);
        byEffectiveAt.set(effectiveKey(grant), grant.grantId);
        if (grant.expiresAt !== null) byExpiresAt.set(expiryKey(grant), grant.grantId);
      }
    }
    const book = new GrantBook(
      byId,
      spendable,
      byEffectiveAt,
      byExpiresAt,
      this.remainingTotal - (previous?.remaining ?? 0n) + grant.remaining,
      this.heldTotal - (previous?.held ?? 0n) + grant.held,
    );
    adopt(book);
    return book;
  }

  /**
   * Calls `take` with each grant that can pay for `feature` at `atMs`, in drawdown order, until it
   * returns true: a debit that the first grants cover never looks at the rest.
   */
  forEachPayer(feature: string, atMs: number, take: (grant: Grant) => boolean): void {
    this.spendable.forEachPair((_, grantId) => {
      const grant = this.byId.get(grantId);
      if (grant !== undefined && isInForce(grant, atMs) && covers(grant, feature) && take(grant))
        return { break: true };
      return undefined;
    });
  }

  /**
   * Free credit in force at `atMs` (any scope): the running total minus grants not yet effective
   * and grants past their expiry that no GrantExpired has closed yet. Both sets are small in a
   * healthy wallet, so this does not walk every grant.
   */
  spendableAt(atMs: number): bigint {
    let total = this.remainingTotal;
    const latestEffective = this.byEffectiveAt.maxKey();
    const soonestExpiry = this.byExpiresAt.minKey();
    const allInForce =
      (latestEffective === undefined || latestEffective[0] <= atMs) &&
      (soonestExpiry === undefined || soonestExpiry[0] > atMs);
    if (allInForce) return total;
    const notInForce = new Set<string>();
    this.byEffectiveAt.forRange(
      [atMs + 1, -1],
      [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
      true,
      (_, id) => {
        notInForce.add(id);
      },
    );
    this.byExpiresAt.forRange(
      [Number.MIN_SAFE_INTEGER, -1],
      [atMs, Number.MAX_SAFE_INTEGER],
      true,
      (_, id) => {
        notInForce.add(id);
      },
    );
    for (const id of notInForce) total -= this.byId.get(id)?.remaining ?? 0n;
    return total;
  }

  /** The soonest expiry among grants that still hold free credit: when the scheduler has work. */
  nextExpiryMs(): number | undefined {
    return this.byExpiresAt.minKey()?.[0];
  }

  /** Grants past their expiry at `atMs` that still hold free credit: work for the scheduler. */
  overdueForExpiry(atMs: number, limit: number): readonly Grant[] {
    const due: Grant[] = [];
    for (const [[expiresAtMs], grantId] of this.byExpiresAt.entries()) {
      if (expiresAtMs > atMs || due.length >= limit) break;
      const grant = this.byId.get(grantId);
      if (grant !== undefined) due.push(grant);
    }
    return due;
  }
}

function sameIndexKeys(a: Grant, b: Grant): boolean {
  return (
    a.sequence === b.sequence &&
    a.priority === b.priority &&
    a.costBasis.microsPerCredit === b.costBasis.microsPerCredit &&
    a.effectiveAt.getTime() === b.effectiveAt.getTime() &&
    (a.expiresAt?.getTime() ?? null) === (b.expiresAt?.getTime() ?? null)
  );
}

/** [time in ms, grant sequence]: unique per grant. */
type TimeKey = readonly [number, number];

function compareTimeKeys(a: TimeKey, b: TimeKey): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}

const effectiveKey = (grant: Grant): TimeKey => [grant.effectiveAt.getTime(), grant.sequence];
const expiryKey = (grant: Grant): TimeKey => [
  grant.expiresAt?.getTime() ?? Number.MAX_SAFE_INTEGER,
  grant.sequence,
];
