import { streamConfigs, type MessageBus } from '@burndown/ports';

/** Every stream exists before any service publishes or consumes; ensureStream is idempotent. */
export async function ensureBusTopology(bus: MessageBus, duplicateWindowMs: number): Promise<void> {
  for (const stream of Object.values(streamConfigs({ duplicateWindowMs }))) {
    await bus.ensureStream(stream);
  }
}
