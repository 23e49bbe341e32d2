import fc from 'fast-check';
import { EmbeddedDatabase, SqliteReadStore } from '@burndown/embedded';
import {
  linesOf,
  monthlyRevenue,
  recognise,
  type GrantRevenue,
  type RevenueMovement,
} from '@burndown/invoicing-domain';
import type { JsonObject } from '@burndown/ports';
import { delivered, walletMessage } from '../test-support/wallet-messages';
import { REVENUE_LINES, REVENUE_WALLETS, lineOfDocument } from './revenue-documents';
import { revenueFactsOf } from './revenue-facts';
import { RevenueProjection, WalletMessageTooEarly } from './revenue-projection';

const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');
const COST_BASES = [
  { currency: 'EUR', microsPerCredit: '333333333' },
  { currency: 'USD', microsPerCredit: '2000000' },
  { currency: 'XXX', microsPerCredit: '0' },
] as const;

type Step =
  | { kind: 'grant'; costBasis: number; credits: number }
  | { kind: 'debit'; perMille: number; lateDays: number }
  | { kind: 'expire' | 'refund' }
  | { kind: 'alert' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('grant' as const),
    costBasis: fc.integer({ min: 0, max: COST_BASES.length - 1 }),
    credits: fc.integer({ min: 1, max: 50 }),
  }),
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('debit' as const),
      perMille: fc.integer({ min: 1, max: 1000 }),
      lateDays: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })),
    }),
  },
  fc.record({ kind: fc.constantFrom('expire' as const, 'refund' as const) }),
  fc.record({ kind: fc.constant('alert' as const) }),
);

interface Grant {
  readonly grantId: string;
  readonly costBasis: (typeof COST_BASES)[number];
  left: bigint;
}

/** A wallet's messages, revision 0 on: what its steps come to, days apart. */
function walletLife(walletId: string, steps: readonly Step[]): JsonObject[] {
  const grants: Grant[] = [];
  const messages: JsonObject[] = [];
  const next = (kind: string, type: string, atMs: number, data: JsonObject) =>
    messages.push(
      walletMessage(
        kind,
        type,
        { at: new Date(atMs).toISOString(), ...data },
        {
          customerId: walletId,
          revision: String(messages.length),
          eventId: `${walletId}-${messages.length}`,
        },
      ).payload,
    );
  steps.forEach((step, index) => {
    const atMs = T0 + index * 3 * DAY;
    const open = grants.filter((grant) => grant.left > 0n);
    switch (step.kind) {
      case 'grant': {
        const grant = {
          grantId: `g${index}`,
          costBasis: COST_BASES[step.costBasis] as Grant['costBasis'],
          left: BigInt(step.credits) * 1_000_000n,
        };
        grants.push(grant);
        return next('granted', 'CreditsGranted', atMs, {
          grantId: grant.grantId,
          kind: grant.costBasis.microsPerCredit === '0' ? 'promotional' : 'purchased',
          amount: grant.left.toString(),
          costBasis: grant.costBasis,
          priority: 100,
          effectiveAt: new Date(atMs).toISOString(),
          expiresAt: null,
          scope: [],
          source: null,
        });
      }
      case 'debit': {
        const allocations = open.map((grant) => {
          const amount = (grant.left * BigInt(step.perMille) + 999n) / 1000n;
          grant.left -= amount;
          return { grantId: grant.grantId, amount: amount.toString(), costBasis: grant.costBasis };
        });
        if (allocations.length === 0)
          return next('low-balance-alerted', 'LowBalanceAlerted', atMs, {});
        return next('debited', 'UsageDebited', atMs, {
          usageEventId: `${walletId}-u${index}`,
          feature: 'llm.tokens',
          amount: allocations.reduce((sum, { amount }) => sum + BigInt(amount), 0n).toString(),
          allocations,
          overdraft: '0',
          budgetId: null,
          usageOccurredAt: new Date(atMs - step.lateDays * DAY).toISOString(),
        });
      }
      case 'expire':
      case 'refund': {
        const grant = open[0];
        if (grant === undefined) return next('low-balance-alerted', 'LowBalanceAlerted', atMs, {});
        const amount = grant.left.toString();
        grant.left = 0n;
        return step.kind === 'expire'
          ? next('grant-expired', 'GrantExpired', atMs, {
              grantId: grant.grantId,
              amount,
              costBasis: grant.costBasis,
              expiresAt: new Date(atMs).toISOString(),
            })
          : next('purchase-refunded', 'PurchaseRefunded', atMs, {
              refundId: `r${index}`,
              grantId: grant.grantId,
              amount,
              costBasis: grant.costBasis,
              reason: 'asked',
            });
      }
      case 'alert':
        return next('low-balance-alerted', 'LowBalanceAlerted', atMs, {});
    }
  });
  return messages;
}

/** What the journal must hold: every wallet's facts through recognise, in revision order. */
function expectedLines(lives: ReadonlyMap<string, readonly JsonObject[]>) {
  return [...lives].flatMap(([walletId, messages]) => {
    const grants = new Map<string, GrantRevenue>();
    const movements: RevenueMovement[] = [];
    for (const payload of messages)
      for (const fact of revenueFactsOf(payload)) {
        const { grant, movement } = recognise(grants.get(fact.data.grantId), fact, null);
        if (grant !== undefined) grants.set(fact.data.grantId, grant);
        if (movement !== undefined) movements.push(movement);
      }
    return linesOf(movements, `${walletId}/`);
  });
}

/**
 * A bus that delivers in random groups at once, sends some messages twice, and sends a message
 * its handler refused (too early) again later, as JetStream does after a nak.
 */
async function deliverAll(
  projection: RevenueProjection,
  messages: readonly JsonObject[],
  picks: readonly number[],
): Promise<number> {
  let waiting = messages.map((payload) => ({ payload, deliveries: 0 }));
  let refused = 0;
  for (let round = 0; waiting.length > 0; round++) {
    if (round > 10_000) throw new Error('delivery never settled');
    const pick = picks[round % picks.length] as number;
    const group = waiting.slice(0, 1 + (pick % 8));
    // Out of arrival order within a group, and a repeat now and then.
    const sent = pick % 3 === 0 ? [...group].reverse() : group;
    if (pick % 5 === 0 && group[0] !== undefined) sent.push(group[0]);
    const outcomes = await Promise.allSettled(
      sent.map((item) => projection.apply(delivered(item.payload, ++item.deliveries))),
    );
    const again = new Set<(typeof group)[number]>();
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') return;
      if (!(outcome.reason instanceof WalletMessageTooEarly)) throw outcome.reason;
      refused++;
      again.add(sent[index] as (typeof group)[number]);
    });
    const done = new Set(group.filter((item) => !again.has(item)));
    waiting = [...waiting.filter((item) => !done.has(item) && !again.has(item)), ...again];
  }
  return refused;
}

async function journalOf(readStore: SqliteReadStore) {
  const page = await readStore.find(REVENUE_LINES, { limit: 10_000 });
  return page.items.map(({ id, document }) => lineOfDocument(id, document));
}

describe('the revenue projection, over random wallet lives delivered out of order and twice', () => {
  let refusedInAll = 0;
  afterAll(() => {
    // Deliveries did come before the ones they follow, or the ordering proved nothing.
    expect(refusedInAll).toBeGreaterThan(0);
  });

  it('books exactly what recognition computes, and a rebuild from zero stores the same documents', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(stepArb, { minLength: 1, maxLength: 14 }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: 20 }),
        async (wallets, picks) => {
          const lives = new Map(
            wallets.map((steps, index) => [`w${index}`, walletLife(`w${index}`, steps)]),
          );
          // Interleave the wallets as a bus would: each wallet's messages in its own order.
          const interleaved = [...lives.values()]
            .flatMap((messages) => messages.map((payload, index) => ({ payload, index })))
            .sort((a, b) => a.index - b.index)
            .map(({ payload }) => payload);

          const stores = [];
          for (const mode of ['shuffled', 'rebuilt'] as const) {
            const database = await EmbeddedDatabase.open();
            const readStore = await SqliteReadStore.create(database);
            const projection = new RevenueProjection(readStore, () => Promise.resolve(null));
            if (mode === 'shuffled')
              refusedInAll += await deliverAll(projection, interleaved, picks);
            else for (const payload of interleaved) await projection.apply(delivered(payload, 1));
            stores.push({ database, readStore });
          }
          try {
            const [shuffled, rebuilt] = await Promise.all(
              stores.map(async ({ readStore }) => ({
                lines: await journalOf(readStore),
                wallets: (await readStore.find(REVENUE_WALLETS, { limit: 100 })).items,
              })),
            );
            const expected = expectedLines(lives).sort((a, b) => (a.id < b.id ? -1 : 1));
            expect(shuffled?.lines).toEqual(expected);
            expect(rebuilt).toEqual(shuffled);
            for (const [walletId, messages] of lives)
              expect(
                shuffled?.wallets.find(({ id }) => id === walletId)?.document['appliedThrough'],
              ).toBe(String(messages.length - 1));
            const report = monthlyRevenue(shuffled?.lines ?? []);
            for (const row of report)
              expect(
                row.openingDeferred + row.purchased - row.recognised - row.breakage - row.refunded,
              ).toBe(row.closingDeferred);
          } finally {
            for (const { database } of stores) await database.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
