import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describeEventStoreContract, eventually, pause } from '@burndown/contracts';
import type { NewEvent, RecordedEvent } from '@burndown/ports';
import { EmbeddedDatabase } from './embedded-database';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

describeEventStoreContract('SqliteEventStore (in memory)', async () => {
  const database = await EmbeddedDatabase.open();
  const store = await SqliteEventStore.create(database);
  return {
    adapter: store,
    teardown: async () => {
      await database.close();
    },
  };
});

const event = (type: string): NewEvent => ({ eventId: randomUUID(), type, data: { type } });

describe('SqliteEventStore', () => {
  let database: EmbeddedDatabase;
  const opened: SqliteEventStore[] = [];
  /** A store closed after the test, so no subscription outlives it even when the test fails. */
  const openStore = async (options?: SqliteEventStoreOptions): Promise<SqliteEventStore> => {
    const store = await SqliteEventStore.create(database, options);
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    database = await EmbeddedDatabase.open();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  afterAll(async () => {
    await database.close();
  });

  it('wakes subscriptions on appends made through another store on the same database', async () => {
    // A poll slower than the test's patience: only the wake-up can deliver in time.
    const reader = await openStore({ pollIntervalMs: 60_000 });
    const writer = await openStore();
    const stream = `wake-${randomUUID()}`;
    const seen: RecordedEvent[] = [];
    reader.subscribeToAll({ filter: { streamNamePrefixes: [stream] } }, async (e) => {
      seen.push(e);
    });
    await pause(50);
    await writer.append(stream, [event('Woken')], 'no_stream');
    await eventually('the event from the other store', () => seen.length === 1, 2_000);
  });

  it('finds rows written outside any store by polling', async () => {
    const store = await openStore({ pollIntervalMs: 50 });
    const stream = `poll-${randomUUID()}`;
    const seen: RecordedEvent[] = [];
    store.subscribeToAll({ filter: { streamNamePrefixes: [stream] } }, async (e) => {
      seen.push(e);
    });
    await pause(50);
    database.run(
      `INSERT INTO es_events (stream_name, revision, event_id, type, data, metadata, recorded_at)
       VALUES (?, 0, ?, 'Raw', '{}', '{}', 0)`,
      [stream, randomUUID()],
    );
    await eventually('the raw row', () => seen.length === 1, 2_000);
  });

  it('reads in pages without losing or repeating an event at page boundaries', async () => {
    const store = await openStore({ pageSize: 3 });
    const stream = `pages-${randomUUID()}`;
    const events = Array.from({ length: 10 }, () => event('Paged'));
    await store.append(stream, events, 'no_stream');
    const seen: string[] = [];
    store.subscribeToAll({ filter: { streamNamePrefixes: [stream] } }, async (e) => {
      seen.push(e.eventId);
    });
    await eventually('every page', () => seen.length >= 10);
    expect(seen).toEqual(events.map((e) => e.eventId));
  });

  it('close() stops every subscription and refuses further calls', async () => {
    const store = await openStore();
    const stream = `close-${randomUUID()}`;
    const seen: string[] = [];
    store.subscribeToAll({ filter: { streamNamePrefixes: [stream] } }, async (e) => {
      seen.push(e.eventId);
    });
    await store.close();
    const other = await openStore();
    await other.append(stream, [event('AfterClose')], 'no_stream');
    await pause(100);
    expect(seen).toEqual([]);
    await expect(store.append(stream, [event('Refused')], 'any')).rejects.toThrow('closed');
  });

  it('refuses an empty append and a stored event id, appending nothing', async () => {
    const store = await openStore();
    const stream = `refusals-${randomUUID()}`;
    await expect(store.append(stream, [], 'any')).rejects.toThrow(RangeError);
    const stored = event('Once');
    await store.append(stream, [stored], 'no_stream');
    await expect(store.append(stream, [event('Fresh'), stored], 0n)).rejects.toThrow(
      'event id is already stored',
    );
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('rolls back a multi-event append that fails part-way', async () => {
    const store = await openStore();
    const stream = `rollback-${randomUUID()}`;
    // The second event repeats the first one's id: its insert fails after the first one's.
    const good = event('Good');
    await expect(
      store.append(stream, [good, { ...event('Again'), eventId: good.eventId }], 'no_stream'),
    ).rejects.toThrow('event id is already stored');
    expect(await store.readStream(stream)).toEqual([]);
  });

  it('keeps streams across a restart on disk', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'burndown-event-store-'));
    try {
      const first = await EmbeddedDatabase.open({ dataDir });
      const appended = await (
        await SqliteEventStore.create(first)
      ).append('durable', [event('Kept'), event('Kept')], 'no_stream');
      await first.close();

      const second = await EmbeddedDatabase.open({ dataDir });
      const reopened = await SqliteEventStore.create(second);
      const read = await reopened.readStream('durable');
      expect(read.map((e) => e.revision)).toEqual([0n, 1n]);
      expect(read.at(-1)?.position).toBe(appended.position);
      // Positions keep increasing after the restart.
      const next = await reopened.append('durable', [event('Later')], 1n);
      expect(next.position > appended.position).toBe(true);
      await reopened.close();
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
