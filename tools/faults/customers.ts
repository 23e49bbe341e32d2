import type { BurndownApi } from './burndown-api';

/** The customers the load is spread over, each with its wallet and one purchased grant. */
export async function createCustomers(
  api: BurndownApi,
  count: number,
  grantMicros: bigint,
): Promise<{ ids: string[]; granted: Map<string, bigint> }> {
  const ids = Array.from(
    { length: count },
    (_, index) => `fault-${String(index).padStart(3, '0')}`,
  );
  const granted = new Map<string, bigint>();
  for (const id of ids) {
    await api.createCustomer(id, `Fault harness customer ${id}`);
    await api.grant(id, `grant-${id}`, grantMicros);
    granted.set(id, grantMicros);
  }
  return { ids, granted };
}
