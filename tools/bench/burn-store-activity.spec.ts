import {
  appendsPerEvent,
  describeStoreActivity,
  storeActivityBetween,
} from './burn-store-activity';

describe('appends per burned event', () => {
  it('takes each process’s difference and sums them', () => {
    const before = {
      rating: { appends: 10, appendedEvents: 100 },
      wallets: { appends: 5, appendedEvents: 50 },
    };
    const after = {
      rating: { appends: 30, appendedEvents: 1_100 },
      wallets: { appends: 25, appendedEvents: 1_050 },
    };
    const use = storeActivityBetween(before, after, 1_000, true);
    expect(use.byProcess).toEqual({
      rating: { appends: 20, appendedEvents: 1_000 },
      wallets: { appends: 20, appendedEvents: 1_000 },
    });
    expect(use.total).toEqual({ appends: 40, appendedEvents: 2_000 });
    expect(appendsPerEvent(use)).toBe('0.040');
    expect(describeStoreActivity(use)).toMatch(
      /^event-store appends per burned event: 0\.040, storing 2\.00 events per burned event; by process, appends \(events\) per burned event: rating 0\.020 \(1\.00\), wallets 0\.020 \(1\.00\)/,
    );
  });

  it('has no figure when a process does not report counters, and says why', () => {
    const use = storeActivityBetween(
      { burndown: '/health has no store counters' },
      { burndown: '/health has no store counters' },
      1_000,
      true,
    );
    expect(use.total).toBeUndefined();
    expect(appendsPerEvent(use)).toBe('n/a (no counters)');
    expect(describeStoreActivity(use)).toBe(
      'event-store appends per burned event: n/a — /health has no store counters',
    );
  });

  it('has no figure when nothing was counted (the store is not wrapped)', () => {
    const zero = { burndown: { appends: 0, appendedEvents: 0 } };
    expect(appendsPerEvent(storeActivityBetween(zero, zero, 1_000, true))).toBe(
      'n/a (no appends counted)',
    );
  });
});
