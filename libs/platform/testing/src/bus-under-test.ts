import { randomUUID } from 'node:crypto';
import { NatsBus } from '@burndown/nats';

/**
 * The bus the end-to-end suites run on: embedded by default; with `BURNDOWN_BUS=nats` in the
 * environment, NATS (at BURNDOWN_NATS_URL) in a namespace of the suite's own, removed afterwards.
 */
export function busUnderTest(): {
  readonly env: Record<string, string>;
  readonly onNats: boolean;
  cleanup(): Promise<void>;
} {
  if (process.env['BURNDOWN_BUS'] !== 'nats')
    return { env: {}, onNats: false, cleanup: async () => undefined };
  const url = process.env['BURNDOWN_NATS_URL'] || 'nats://127.0.0.1:4222';
  const namespace = `e2e_${randomUUID().slice(0, 8)}`;
  return {
    env: { BURNDOWN_BUS: 'nats', BURNDOWN_NATS_URL: url, BURNDOWN_NATS_NAMESPACE: namespace },
    onNats: true,
    cleanup: () => NatsBus.removeNamespace(url, namespace),
  };
}
