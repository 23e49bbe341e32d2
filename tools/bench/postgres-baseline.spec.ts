import { describeBaseline, parsePgbench } from './postgres-baseline';

const PG15_REPORT = `pgbench (15.8 (Debian 15.8-0+deb12u1))
starting vacuum...end.
transaction type: <builtin: TPC-B (sort of)>
scaling factor: 8
query mode: simple
number of clients: 8
number of threads: 2
maximum number of tries: 1
duration: 60 s
number of transactions actually processed: 262080
number of failed transactions: 0 (0.000%)
latency average = 1.831 ms
initial connection time = 9.214 ms
tps = 4368.123456 (without initial connection time)
`;

describe('the Postgres baseline', () => {
  it('reads the tps, latency and transactions of a pgbench report', () => {
    expect(parsePgbench(PG15_REPORT)).toEqual({
      tps: 4368.123456,
      latencyMs: 1.831,
      transactions: 262080,
      failed: 0,
    });
  });

  it('reads the tps line of pgbench before 14 too', () => {
    expect(
      parsePgbench(
        'tps = 812.5 (including connections establishing)\ntps = 815.25 (excluding connections establishing)\n',
      ),
    ).toEqual({ tps: 815.25 });
  });

  it('has no figure without a tps line', () => {
    expect(
      parsePgbench(
        'pgbench: error: connection to server at "127.0.0.1", port 5432 failed: Connection refused\n',
      ),
    ).toBeUndefined();
  });

  it('says why there is no baseline, and that ratios to it are n/a', () => {
    expect(describeBaseline({ ran: false, reason: 'pgbench is not installed (not on PATH)' })).toBe(
      'Postgres baseline: none — pgbench is not installed (not on PATH); ratios to it print as n/a',
    );
  });
});
