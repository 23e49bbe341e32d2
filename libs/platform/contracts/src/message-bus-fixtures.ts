import { randomUUID } from 'node:crypto';
import type { BusMessage, ConsumerConfig, MessageBus, StreamConfig } from '@burndown/ports';
import { uniqueName } from './store-contract-support';

export type BusAccess = () => MessageBus;

/** A stream of its own for one test: unique name and subject prefix. */
export async function freshStream(
  bus: MessageBus,
  label: string,
): Promise<StreamConfig & { prefix: string }> {
  const prefix = uniqueName(label).replace(/[^A-Za-z0-9_-]/g, '_');
  const config = { name: prefix, subjects: [`${prefix}.>`], duplicateWindowMs: 60_000 };
  await bus.ensureStream(config);
  return { ...config, prefix };
}

/** Fast retries so failure paths finish in well under a second. */
export function consumerFor(
  stream: StreamConfig,
  overrides: Partial<ConsumerConfig> = {},
): ConsumerConfig {
  return {
    stream: stream.name,
    durableName: `c-${randomUUID()}`,
    ackWaitMs: 5_000,
    maxDeliver: 3,
    backoffMs: [20],
    ...overrides,
  };
}

/** Collects what a consumer received, in arrival order. */
export class Received {
  readonly messages: BusMessage[] = [];
  payloads(): unknown[] {
    return this.messages.map((message) => message.payload);
  }
}
