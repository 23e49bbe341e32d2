import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  DATABASE_FILES,
  EmbeddedBus,
  EmbeddedDatabase,
  SqliteEventStore,
  SqliteReadStore,
} from '@burndown/embedded';
import { loadConfig } from './config';
import { openInfrastructure, type Infrastructure } from './infrastructure';

const USAGE = { name: 'USAGE', subjects: ['usage.>'], duplicateWindowMs: 3_600_000 };

/** A data directory as versions before the split wrote it: every adapter in burndown.sqlite. */
async function writeSharedFileLayout(dataDir: string): Promise<void> {
  const db = await EmbeddedDatabase.open({ dataDir, sync: 'normal' });
  const eventStore = await SqliteEventStore.create(db);
  const readStore = await SqliteReadStore.create(db);
  const bus = await EmbeddedBus.create(db);
  await eventStore.append(
    'wallet-a',
    [{ eventId: 'e-1', type: 'Opened', data: { n: 1 } }],
    'no_stream',
  );
  await readStore.apply({
    writes: [{ collection: 'balances', id: 'a', version: 3n, document: { credits: '42' } }],
    checkpoint: { name: 'ledger', position: 7n },
  });
  await bus.ensureStream(USAGE);
  for (const id of ['u-1', 'u-2']) await bus.publish(`usage.${id}`, { id }, { msgId: id });
  await bus.close();
  await readStore.close();
  await eventStore.close();
  await db.close();
}

function tablesIn(file: string): string[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((row) => row.name);
  } finally {
    db.close();
  }
}

async function expectEverythingKept(infrastructure: Infrastructure): Promise<void> {
  expect(
    (await infrastructure.eventStore.readStream('wallet-a')).map((event) => event.eventId),
  ).toEqual(['e-1']);
  expect((await infrastructure.readStore.get('balances', 'a'))?.document).toEqual({
    credits: '42',
  });
  expect(await infrastructure.readStore.checkpoint('ledger')).toBe(7n);
  const messages = await infrastructure.bus.browse('USAGE', { limit: 10 });
  expect(messages.map((message) => message.msgId)).toEqual(['u-1', 'u-2']);
  // The duplicate window came along: a repeat of a stored id is still a repeat.
  expect(
    await infrastructure.bus.publish('usage.u-2', { id: 'u-2' }, { msgId: 'u-2' }),
  ).toMatchObject({ duplicate: true, sequence: 2n });
}

describe('the embedded adapters in files of their own', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'burndown-files-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = () =>
    loadConfig({
      BURNDOWN_DATA_DIR: dataDir,
      BURNDOWN_EMBEDDED_SYNC: 'normal',
      BURNDOWN_LOG_LEVEL: 'silent',
    });

  it('opens one file per adapter in a new directory', async () => {
    const infrastructure = await openInfrastructure(config());
    await infrastructure.close();
    expect(tablesIn(join(dataDir, DATABASE_FILES.eventStore))).toEqual(['es_events']);
    expect(tablesIn(join(dataDir, DATABASE_FILES.readStore))).toEqual([
      'rm_checkpoints',
      'rm_documents',
    ]);
    expect(tablesIn(join(dataDir, DATABASE_FILES.bus))).toEqual([
      'bus_consumers',
      'bus_messages',
      'bus_pending',
      'bus_streams',
    ]);
  });

  it("moves an earlier version's read models and bus out of the shared file, keeping every row, once", async () => {
    await writeSharedFileLayout(dataDir);
    for (let start = 0; start < 2; start++) {
      const infrastructure = await openInfrastructure(config());
      try {
        await expectEverythingKept(infrastructure);
      } finally {
        await infrastructure.close();
      }
    }
    expect(tablesIn(join(dataDir, DATABASE_FILES.eventStore))).toEqual(['es_events']);
  });

  it('copies again, from the start, a move a crash interrupted before the shared file let go', async () => {
    await writeSharedFileLayout(dataDir);
    // As if the last start copied into the new files (and a stray row besides) and then died.
    const partial = new DatabaseSync(join(dataDir, DATABASE_FILES.readStore));
    partial.exec(`CREATE TABLE rm_documents (collection TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, document TEXT NOT NULL);
      INSERT INTO rm_documents VALUES ('balances', 'a', 3, '{"credits":"42"}'), ('balances', 'stray', 1, '{}');`);
    partial.close();
    const infrastructure = await openInfrastructure(config());
    try {
      await expectEverythingKept(infrastructure);
      expect(await infrastructure.readStore.get('balances', 'stray')).toBeUndefined();
    } finally {
      await infrastructure.close();
    }
  });
});
