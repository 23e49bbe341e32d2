/** The five services of the distributed topology, each its own process, port and data directory. */
export const DISTRIBUTED_SERVICES = [
  { name: 'ingestion', port: 8081 },
  { name: 'rating', port: 8082 },
  { name: 'wallets', port: 8083 },
  { name: 'entitlements', port: 8084 },
  { name: 'invoicing', port: 8085 },
] as const;

export type ServiceName = (typeof DISTRIBUTED_SERVICES)[number]['name'];
