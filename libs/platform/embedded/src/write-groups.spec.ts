import { WriteGroups, type TransactionControl } from './write-groups';

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
});
