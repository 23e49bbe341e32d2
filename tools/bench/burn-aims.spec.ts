import { checksOf } from './burn-aims';

const baseline = {
  ran: true as const,
  command: 'pgbench',
  tps: 4_000,
  initSeconds: 1,
  checkpoint: 'CHECKPOINT done',
};

describe('floors and aims', () => {
  it('holds burn and hot wallet against the Postgres baseline, with the floor of the deployment', () => {
    const checks = checksOf(
      { mode: 'embedded', burnPerSecond: 9_120, hotPerSecond: 3_000, idleRssMB: {} },
      baseline,
    );
    const burn = checks.find((check) => check.figure === 'burn ÷ Postgres baseline');
    expect(burn).toMatchObject({ value: '2.28×', target: 'floor ≥ 2× baseline', met: true });
    expect(burn?.line).toBe(
      'embedded burn 9,120/s = 2.28 × Postgres baseline 4,000 tps (floor ≥ 2× baseline): met',
    );
    expect(checks.find((check) => check.figure === 'hot wallet ÷ Postgres baseline')).toMatchObject(
      { value: '0.75×', met: false },
    );
    expect(
      checksOf({ mode: 'distributed', burnPerSecond: 4_000, idleRssMB: {} }, baseline)[0],
    ).toMatchObject({ target: 'floor ≥ 1× baseline', met: true });
  });

  it('prints ratios as n/a without a baseline, and figures not measured as n/a', () => {
    const checks = checksOf(
      { mode: 'embedded', burnPerSecond: 9_120, idleRssMB: {} },
      { ran: false, reason: 'pgbench is not installed' },
    );
    expect(checks[0]).toMatchObject({
      value: 'n/a',
      line: 'embedded burn 9,120/s = n/a × Postgres baseline (no baseline; floor ≥ 2× baseline)',
    });
    expect(checks[0]?.met).toBeUndefined();
    const latency = checks.find((check) => check.figure === 'latency p99 (202 → debited)');
    expect(latency).toMatchObject({ value: 'n/a' });
    expect(latency?.met).toBeUndefined();
  });

  it('limits idle memory per distributed service and for the embedded process, not the shared NATS server', () => {
    const distributed = checksOf(
      { mode: 'distributed', idleRssMB: { wallets: 151, rating: 90, 'nats-server': 400 } },
      baseline,
    ).filter((check) => check.figure.startsWith('idle RSS'));
    expect(distributed.map((check) => [check.figure, check.met])).toEqual([
      ['idle RSS wallets', false],
      ['idle RSS rating', true],
    ]);
    expect(
      checksOf({ mode: 'embedded', idleRssMB: { burndown: 240 } }, baseline).find(
        (check) => check.figure === 'idle RSS burndown',
      ),
    ).toMatchObject({ target: 'limit ≤ 250 MB', met: true });
  });

  it('holds CPU per burned event and latency to their aims', () => {
    const checks = checksOf(
      { mode: 'distributed', cpuMicrosPerEvent: 120, latencyP99Ms: 200, idleRssMB: {} },
      baseline,
    );
    expect(
      checks.find((check) => check.figure === 'CPU per burned event (burn phase)'),
    ).toMatchObject({ value: '120 µs', target: 'aim ≤ 100 µs', met: false });
    expect(checks.find((check) => check.figure === 'latency p99 (202 → debited)')).toMatchObject({
      value: '200 ms',
      met: true,
    });
  });
});
