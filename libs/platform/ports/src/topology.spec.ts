import { DEBIT_PARTITIONS, consumerConfigs, debitPartitionOf, subjects } from './topology';
import { subjectMatches } from './subjects';

describe('debit partitions', () => {
  const walletIds = Array.from({ length: 4_000 }, (_, n) => `customer-${n}`);

  it('puts a wallet in the same partition every time, inside the range', () => {
    for (const walletId of walletIds) {
      const partition = debitPartitionOf(walletId);
      expect(partition).toBe(debitPartitionOf(walletId));
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(DEBIT_PARTITIONS);
    }
    // 32-bit FNV-1a, computed independently: a change of the hash would move wallets between writers.
    expect([
      debitPartitionOf('acme'),
      debitPartitionOf('globex'),
      debitPartitionOf('initech'),
    ]).toEqual([7, 6, 1]);
  });

  it('spreads wallets over every partition roughly evenly', () => {
    const counts = new Array<number>(DEBIT_PARTITIONS).fill(0);
    for (const walletId of walletIds)
      counts[debitPartitionOf(walletId)] = (counts[debitPartitionOf(walletId)] ?? 0) + 1;
    const even = walletIds.length / DEBIT_PARTITIONS;
    for (const count of counts) expect(Math.abs(count - even)).toBeLessThan(even * 0.2);
  });

  it('routes each debit to exactly one partition consumer', () => {
    const filters = Array.from(
      { length: DEBIT_PARTITIONS },
      (_, partition) => consumerConfigs.walletsPartition(partition).filterSubject,
    );
    for (const walletId of walletIds.slice(0, 200)) {
      const subject = subjects.debit(walletId);
      expect(filters.filter((filter) => subjectMatches(filter, subject))).toEqual([
        `debits.${debitPartitionOf(walletId)}.>`,
      ]);
    }
  });
});
