import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileClock } from './file-clock';

describe('FileClock', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'file-clock-'));
    file = join(dir, 'now');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const set = (text: string, writtenAtMs: number) => {
    writeFileSync(file, text);
    utimesSync(file, writtenAtMs / 1000, writtenAtMs / 1000);
  };

  it('tells the time written in the file plus the real time since it was written', async () => {
    set('2027-01-10T12:00:00.000Z', Date.now() - 60_000);
    const clock = new FileClock(file);
    const told = clock.now().getTime() - Date.parse('2027-01-10T12:00:00.000Z');
    expect(told).toBeGreaterThanOrEqual(60_000);
    expect(told).toBeLessThan(62_000);

    // Moved on by a test: every reader sees the new time once it looks again.
    set('2027-03-01T00:00:05Z', Date.now());
    await new Promise((resolve) => setTimeout(resolve, 30));
    const after = clock.now().getTime() - Date.parse('2027-03-01T00:00:05Z');
    expect(after).toBeGreaterThanOrEqual(0);
    expect(after).toBeLessThan(2_000);
  });

  it('refuses a file that does not hold a time, naming it', () => {
    set('next tuesday', Date.now());
    expect(() => new FileClock(file)).toThrow(/must hold an ISO-8601 time/);
    expect(() => new FileClock(join(dir, 'missing'))).toThrow(/ENOENT/);
  });
});
