import {
  EmbeddedBus,
  EmbeddedDatabase,
  SqliteEventStore,
  SqliteReadStore,
} from '@burndown/embedded';
import {
  streamConfigs,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '@burndown/ports';
import { ensureBusTopology, foldRecorded } from '@burndown/runtime';
import { eventually } from '@burndown/testing';
import { nextDueAt, walletDecider, walletEventCodec } from '@burndown/wallet-domain';
import { BALANCE_COLLECTION, LEDGER_COLLECTION, ledgerWrites } from './ledger/ledger-entry';
import { WalletLedgerProjection } from './ledger/wallet-ledger.projection';
import { balanceSummaryOf, movesCredit, walletEventMessageOf } from './relay/integration-event';
import { WalletEventRelay } from './relay/wallet-event.relay';
import { DueWallets } from './scheduler/due-wallets';
import { TIMERS_COLLECTION, WalletTimersProjection } from './scheduler/wallet-timers.projection';
import { CountingStore } from './test-support/counting-store';
import { RecordingBus } from './test-support/recording-bus';
import { GRANT_EXPIRES_AT, HISTORY_AT, writeWalletHistory } from './test-support/wallet-history';
import { WalletCommands } from './wallet-commands.service';
import { WALLET_STREAMS_CHECKPOINT, WalletStreamFanOut } from './wallet-stream-fan-out';
import { walletStreamName } from './wallet-stream';

const WALLETS = ['alpha', 'beta'] as const;
const STREAMS = streamConfigs({ duplicateWindowMs: 60_000 });
const RELAYED_TO = [STREAMS.walletEvents.name, STREAMS.walletBalances.name];

describe('wallet stream fan-out: one walk feeds the ledger, the timers and the relay', () => {
  let database: EmbeddedDatabase;
  let store: SqliteEventStore;
  let readStore: SqliteReadStore;
  let embeddedBus: EmbeddedBus;
  let wallets: WalletCommands;
  /** Publish acks and checkpoint moves, in the order they happened. */
  let log: string[];
  let bus: RecordingBus;
  let running: WalletStreamFanOut[];

  beforeEach(async () => {
    database = await EmbeddedDatabase.open();
    store = await SqliteEventStore.create(database);
    readStore = await SqliteReadStore.create(database);
    embeddedBus = await EmbeddedBus.create(database);
    await ensureBusTopology(embeddedBus, 60_000);
    log = [];
    const apply = readStore.apply.bind(readStore);
    readStore.apply = (batch) => {
      if (batch.checkpoint !== undefined) log.push(`checkpoint ${batch.checkpoint.position}`);
      return apply(batch);
    };
    bus = new RecordingBus(embeddedBus, (msgId) => log.push(`acknowledged ${msgId}`));
    wallets = new WalletCommands(store);
    await writeWalletHistory(wallets);
    running = [];
  });
  afterEach(async () => {
    for (const fanOut of running) await fanOut.onModuleDestroy();
    await embeddedBus.close();
    await database.close();
  });

  const start = async (options: { eventStore?: EventStore; due?: DueWallets } = {}) => {
    const fanOut = new WalletStreamFanOut(
      options.eventStore ?? store,
      readStore,
      wallets,
      new WalletLedgerProjection(readStore),
      new WalletEventRelay(bus),
      new WalletTimersProjection(readStore, options.due ?? new DueWallets()),
    );
    running.push(fanOut);
    await fanOut.onApplicationBootstrap();
    return fanOut;
  };
  const stop = async (fanOut: WalletStreamFanOut) => {
    running = running.filter((other) => other !== fanOut);
    await fanOut.onModuleDestroy();
  };

  /** Every wallet event, in $all order. */
  const allEvents = async () =>
    (await Promise.all(WALLETS.map((walletId) => store.readStream(walletStreamName(walletId)))))
      .flat()
      .sort((a, b) => Number(a.position - b.position));
  const caughtUp = async () => {
    const events = await allEvents();
    const last = events[events.length - 1] as RecordedEvent;
    await eventually(
      async () => expect(await readStore.checkpoint(WALLET_STREAMS_CHECKPOINT)).toBe(last.position),
      10_000,
    );
  };

  const documents = async (collection: string) => {
    const found = new Map<string, { version: bigint; document: JsonObject }>();
    let after: string | undefined;
    do {
      const page = await readStore.find(collection, {
        limit: 100,
        ...(after === undefined ? {} : { after }),
      });
      for (const { id, version, document } of page.items) found.set(id, { version, document });
      after = page.nextCursor;
    } while (after !== undefined);
    return found;
  };
  const readModels = async () => ({
    ledger: await documents(LEDGER_COLLECTION),
    balances: await documents(BALANCE_COLLECTION),
    timers: await documents(TIMERS_COLLECTION),
  });
  const documentsOnly = (found: Map<string, { document: JsonObject }>) =>
    new Map([...found].map(([id, { document }]) => [id, document]));
  const published = async () =>
    (await Promise.all(RELAYED_TO.map((stream) => embeddedBus.browse(stream, { limit: 1_000 }))))
      .flat()
      .map(({ subject, msgId, payload, headers }) => ({
        subject,
        msgId,
        payload,
        correlationId: headers['correlationId'],
      }));

  /**
   * What the three subscribers produced before the fan-out, each from the state it folded itself:
   * here the wallet after each event comes from folding its stream from the start, every time.
   */
  const expected = async () => {
    const ledger = new Map<string, JsonObject>();
    const balances = new Map<string, JsonObject>();
    const timers = new Map<string, JsonObject>();
    const messages: {
      subject: string;
      msgId: string;
      payload: JsonObject;
      correlationId: unknown;
    }[] = [];
    const summaries = new Map<string, JsonObject>();
    for (const walletId of WALLETS) {
      const stream = await store.readStream(walletStreamName(walletId));
      stream.forEach((recorded, index) => {
        const state = foldRecorded(stream.slice(0, index + 1), walletDecider, walletEventCodec);
        const event = walletEventCodec.decode(recorded.type, recorded.data);
        for (const write of ledgerWrites(walletId, recorded, event, state)) {
          (write.collection === LEDGER_COLLECTION ? ledger : balances).set(
            write.id,
            write.document,
          );
        }
        const message = walletEventMessageOf(walletId, recorded, event, state);
        if (message !== undefined)
          messages.push({ ...message, correlationId: recorded.metadata['correlationId'] });
        if (message !== undefined && movesCredit(event))
          summaries.set(walletId, balanceSummaryOf(walletId, message).payload);
        if (state.status === 'open')
          timers.set(walletId, { walletId, dueAt: nextDueAt(state)?.toISOString() ?? null });
      });
    }
    return { ledger, balances, timers, messages, summaries };
  };
  const isSummary = (msgId: string) => msgId.startsWith('balance-changed:');
  /** The messages of single wallet events, without the balance summaries between them. */
  const eventMessages = <T extends { msgId: string }>(messages: readonly T[]) =>
    messages.filter((message) => !isSummary(message.msgId));
  /** Each wallet's latest balance summary, by revision. */
  const latestSummaries = (messages: readonly { msgId: string; payload: unknown }[]) => {
    const latest = new Map<string, JsonObject>();
    for (const { msgId, payload } of messages) {
      if (!isSummary(msgId)) continue;
      const summary = payload as JsonObject;
      const walletId = summary['walletId'] as string;
      const before = latest.get(walletId);
      if (
        before === undefined ||
        BigInt(before['revision'] as string) < BigInt(summary['revision'] as string)
      )
        latest.set(walletId, summary);
    }
    return latest;
  };
  const bySubjectAndId = <T extends { msgId: string }>(messages: readonly T[]) =>
    [...messages].sort((a, b) => a.msgId.localeCompare(b.msgId));

  it('writes the same ledger lines, balances and timer documents and publishes the same messages as three walks did, reading no stream', async () => {
    const counting = new CountingStore(store);
    const due = new DueWallets();
    await start({ eventStore: counting.asStore(), due });
    await caughtUp();

    const want = await expected();
    const got = await readModels();
    expect(documentsOnly(got.ledger)).toEqual(want.ledger);
    expect(documentsOnly(got.balances)).toEqual(want.balances);
    expect(documentsOnly(got.timers)).toEqual(want.timers);
    expect(bySubjectAndId(eventMessages(await published()))).toEqual(bySubjectAndId(want.messages));
    expect(latestSummaries(await published())).toEqual(want.summaries);
    // One catch-up walk from a stream's first event folds as it goes: no stream is read back.
    expect(counting.walletReads).toBe(0);

    // And what the lines say, independently of how they are computed.
    const alphaLines = [...got.ledger.values()]
      .map(({ document }) => document)
      .filter((line) => line['walletId'] === 'alpha');
    expect(
      alphaLines.map((line) => [
        line['entryType'],
        line['amount'],
        line['balanceAfter'],
        line['availableAfter'],
      ]),
    ).toEqual([
      ['grant', '1000', '1000', '1000'],
      ['debit', '-100', '900', '900'],
      ['hold', '0', '900', '850'],
      ['hold-settled', '-40', '860', '860'],
      ['deduction', '-10', '850', '850'],
    ]);
    expect(got.balances.get('beta')?.document).toMatchObject({ balance: '480', revision: '2' });
    expect(got.timers.get('alpha')?.document).toEqual({
      walletId: 'alpha',
      dueAt: GRANT_EXPIRES_AT.toISOString(),
    });
    expect(due.dueAt(GRANT_EXPIRES_AT, 10)).toEqual(['alpha']);
    expect(eventMessages(await published())).toHaveLength(9);
  });

  it('keeps up with events appended while it runs', async () => {
    await start();
    await caughtUp();
    await wallets.execute(
      'beta',
      {
        type: 'DebitUsage',
        commandId: 'u3',
        at: HISTORY_AT,
        usageEventId: 'u3',
        feature: 'llm.tokens',
        amount: 30n,
      },
      {},
    );
    await caughtUp();
    expect((await readStore.get(BALANCE_COLLECTION, 'beta'))?.document).toMatchObject({
      balance: '450',
      revision: '3',
    });
    expect(eventMessages(await published())).toHaveLength(10);
    expect(latestSummaries(await published()).get('beta')).toMatchObject({
      balance: '450',
      revision: '3',
    });
  });

  it('does not let the checkpoint pass an event whose publish failed: the walk repeats it, and nothing is lost', async () => {
    const events = await allEvents();
    const refused = events.find((event) => event.type === 'UsageDebited') as RecordedEvent;
    bus.refuseFirstPublishOf(refused.eventId);
    await start();
    await caughtUp();

    expect(bus.attempts.filter((msgId) => msgId === refused.eventId)).toHaveLength(2);
    const acknowledgedAt = log.indexOf(`acknowledged ${refused.eventId}`);
    const checkpointsAtOrPast = log.flatMap((entry, index) =>
      entry.startsWith('checkpoint ') && BigInt(entry.slice(11)) >= refused.position ? [index] : [],
    );
    expect(checkpointsAtOrPast.length).toBeGreaterThan(0);
    expect(checkpointsAtOrPast.every((index) => index > acknowledgedAt)).toBe(true);

    const want = await expected();
    expect(documentsOnly((await readModels()).ledger)).toEqual(want.ledger);
    // Repeated publishes carried the same message id: the bus holds each message once.
    expect(bySubjectAndId(eventMessages(await published()))).toEqual(bySubjectAndId(want.messages));
    expect(latestSummaries(await published())).toEqual(want.summaries);
  });

  it('leaves the read models and the bus as they were when it walks everything again', async () => {
    const first = await start();
    await caughtUp();
    const before = await readModels();
    const messagesBefore = await published();
    await stop(first);

    await readStore.reset([], WALLET_STREAMS_CHECKPOINT);
    expect(await readStore.checkpoint(WALLET_STREAMS_CHECKPOINT)).toBeUndefined();
    await start();
    await caughtUp();

    // It did walk again (every message published a second time) and changed nothing.
    expect(eventMessages(bus.attempts.map((msgId) => ({ msgId })))).toHaveLength(
      2 * eventMessages(messagesBefore).length,
    );
    expect(await readModels()).toEqual(before);
    expect(eventMessages(await published())).toEqual(eventMessages(messagesBefore));
    expect(latestSummaries(await published())).toEqual(latestSummaries(messagesBefore));
  });

  it('declares the ledger index and reads the stored due times back before the walk starts', async () => {
    const order: string[] = [];
    const declareIndexes = readStore.declareIndexes.bind(readStore);
    readStore.declareIndexes = (collection, indexes) => {
      order.push(`declareIndexes ${collection}`);
      return declareIndexes(collection, indexes);
    };
    const find = readStore.find.bind(readStore);
    readStore.find = (collection, query) => {
      order.push(`find ${collection}`);
      return find(collection, query);
    };
    const subscribeToAll = store.subscribeToAll.bind(store);
    store.subscribeToAll = (options, handler) => {
      order.push('subscribeToAll');
      return subscribeToAll(options, handler);
    };
    // A wallet with no events in this store: its due time can only come from the stored document.
    await readStore.apply({
      writes: [
        {
          collection: TIMERS_COLLECTION,
          id: 'dormant',
          version: 3n,
          document: { walletId: 'dormant', dueAt: '2026-11-05T00:00:00.000Z' },
        },
      ],
    });
    const due = new DueWallets();

    await start({ due });

    expect(order).toEqual([
      `declareIndexes ${LEDGER_COLLECTION}`,
      `find ${TIMERS_COLLECTION}`,
      'subscribeToAll',
    ]);
    expect(due.dueAt(new Date('2026-11-05T00:00:00Z'), 10)).toEqual(['dormant']);
  });

  describe('on a read store kept by the three subscribers it replaced', () => {
    const supersede = async (checkpoints: Readonly<Record<string, bigint>>) => {
      for (const [name, position] of Object.entries(checkpoints))
        await readStore.apply({ writes: [], checkpoint: { name, position } });
    };

    it('starts after the earliest of their checkpoints, re-publishing only what came after it', async () => {
      const events = await allEvents();
      const at = (index: number) => (events[index] as RecordedEvent).position;
      await supersede({ 'wallets.ledger': at(6), 'wallets.relay': at(3), 'wallets.timers': at(7) });
      await start();
      await caughtUp();
      expect(bus.attempts.filter((msgId) => !isSummary(msgId))).toEqual(
        events.slice(4).map((event) => event.eventId),
      );
    });

    it('walks from the first event when one of them never moved', async () => {
      const events = await allEvents();
      await supersede({
        'wallets.ledger': (events[6] as RecordedEvent).position,
        'wallets.relay': (events[3] as RecordedEvent).position,
      });
      await start();
      await caughtUp();
      expect(bus.attempts.filter((msgId) => !isSummary(msgId))).toHaveLength(events.length);
    });
  });
});
