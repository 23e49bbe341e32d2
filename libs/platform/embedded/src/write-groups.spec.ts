import { WriteGroups, type DurableLog, type TransactionControl } from './write-groups';

/** A connection that records what it was told, and can refuse a COMMIT. */
function recordingControl(failCommit = false): TransactionControl & { readonly log: string[] } {
  const log: string[] = [];
  const step = (name: string) => () => {
    log.push(name);
    if (name === 'commit' && failCommit) throw new Error('disk full');
  };
  return {
    log,
    begin: step('begin'),
    commit: step('commit'),
    rollback: step('rollback'),
    savepoint: step('savepoint'),
    release: step('release'),
    rollbackToSavepoint: step('rollback-to-savepoint'),
  };
}

describe('WriteGroups', () => {
  it('runs the writes of one turn in one transaction, a failing one rolled back alone', async () => {
    const control = recordingControl();
    const groups = new WriteGroups(control);
    const outcomes = await Promise.allSettled([
      groups.add(() => 'first'),
      groups.add(() => {
        throw new Error('refused');
      }),
      groups.add(() => 'third'),
    ]);
    expect(
      outcomes.map((outcome) =>
        outcome.status === 'fulfilled' ? outcome.value : (outcome.reason as Error).message,
      ),
    ).toEqual(['first', 'refused', 'third']);
    expect(control.log).toEqual([
      'begin',
      'savepoint',
      'release',
      'savepoint',
      'rollback-to-savepoint',
      'savepoint',
      'release',
      'commit',
    ]);
  });

  it('acknowledges nothing before the commit, and nothing at all when the commit fails', async () => {
    const control = recordingControl(true);
    const groups = new WriteGroups(control);
    let settledBeforeCommit = false;
    const written = groups
      .add(() => 'value')
      .finally(() => (settledBeforeCommit = !control.log.includes('commit')));
    await expect(written).rejects.toThrow('disk full');
    expect(settledBeforeCommit).toBe(false);
    expect(control.log.at(-1)).toBe('rollback');
  });

  it('starts a new group for writes queued after a group ran', async () => {
    const control = recordingControl();
    const groups = new WriteGroups(control);
    await groups.add(() => 1);
    await groups.add(() => 2);
    expect(control.log.filter((step) => step === 'commit')).toHaveLength(2);
  });

  it('holds the next commit while the log syncs, then commits everything queued meanwhile at once', async () => {
    const control = recordingControl();
    let endSync!: () => void;
    const syncs: Promise<void>[] = [];
    const log: DurableLog & { syncing: Promise<void> | undefined } = {
      syncing: undefined,
      afterCommit() {
        const sync = new Promise<void>((resolve) => (endSync = resolve)).then(() => {
          log.syncing = undefined;
        });
        log.syncing = sync;
        syncs.push(sync);
        return sync;
      },
    };
    const groups = new WriteGroups(control, log);
    const first = groups.add(() => 'first');
    await new Promise((resolve) => setImmediate(resolve));
    expect(control.log.filter((step) => step === 'commit')).toHaveLength(1);

    // Queued in three turns while the first group's sync runs: none of them commits yet.
    const later: Promise<string>[] = [];
    for (const value of ['second', 'third', 'fourth']) {
      later.push(groups.add(() => value));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(control.log.filter((step) => step === 'commit')).toHaveLength(1);

    endSync();
    await expect(first).resolves.toBe('first');
    await new Promise((resolve) => setImmediate(resolve));
    // One commit for the three, and their own sync under way.
    expect(control.log.filter((step) => step === 'commit')).toHaveLength(2);
    expect(syncs).toHaveLength(2);
    endSync();
    await expect(Promise.all(later)).resolves.toEqual(['second', 'third', 'fourth']);
  });

  it('answers a write that need not be on disk at its commit, and the durable ones of its group after the sync', async () => {
    const control = recordingControl();
    let endSync!: () => void;
    const log: DurableLog = {
      syncing: undefined,
      afterCommit: () => new Promise<void>((resolve) => (endSync = resolve)),
    };
    const groups = new WriteGroups(control, log);
    const answered: string[] = [];
    const durable = groups.add(() => 'durable').then((value) => answered.push(value));
    const committed = groups.add(() => 'committed', false).then((value) => answered.push(value));

    await committed;
    expect(control.log.filter((step) => step === 'commit')).toHaveLength(1);
    expect(answered).toEqual(['committed']);
    endSync();
    await durable;
    expect(answered).toEqual(['committed', 'durable']);
  });
});
