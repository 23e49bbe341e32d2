import { CommitNotices } from './commit-notices';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A broadcast reaches another listener in a later turn; on a busy machine, many turns later. */
async function heard(count: () => number, atLeast: number): Promise<void> {
  for (let waited = 0; count() < atLeast && waited < 5_000; waited += 10) await pause(10);
  // Long enough for a second notice of the same turn to have arrived, were one sent.
  await pause(50);
}

describe('CommitNotices', () => {
  const opened: CommitNotices[] = [];
  const notices = (): CommitNotices => {
    const created = new CommitNotices();
    opened.push(created);
    return created;
  };
  afterEach(() => opened.splice(0).forEach((each) => each.close()));

  it('tells this thread’s listeners of a topic at once, and only those of that topic', () => {
    const local = notices();
    const heard: string[] = [];
    const stop = local.listen('bus:published:USAGE', () => heard.push('usage'));
    local.listen('bus:published:DEBITS', () => heard.push('debits'));
    local.announce('bus:published:USAGE');
    expect(heard).toEqual(['usage']);
    stop();
    local.announce('bus:published:USAGE');
    expect(heard).toEqual(['usage']);
  });

  it('reaches the listeners connected to the same channel once per topic per turn', async () => {
    const channel = `burndown-commits:test-${process.pid}-${Date.now()}`;
    const writer = notices();
    const reader = notices();
    const unrelated = notices();
    writer.connect(channel);
    reader.connect(channel);
    unrelated.connect(`${channel}-other`);
    let appended = 0;
    let elsewhere = 0;
    reader.listen('es:appended', () => appended++);
    unrelated.listen('es:appended', () => elsewhere++);
    for (let n = 0; n < 5; n++) writer.announce('es:appended');
    await heard(() => appended, 1);
    expect(appended).toBe(1);
    expect(elsewhere).toBe(0);
    writer.announce('es:appended');
    await heard(() => appended, 2);
    expect(appended).toBe(2);
  });
});
