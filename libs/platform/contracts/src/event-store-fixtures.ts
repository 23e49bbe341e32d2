import { randomUUID } from 'node:crypto';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type JsonObject,
  type NewEvent,
} from '@burndown/ports';

/** Hands the store to a test once the suite's beforeAll has opened it. */
export type StoreAccess = () => EventStore;

export function newEvent(type: string, data: JsonObject = {}, metadata?: JsonObject): NewEvent {
  return metadata === undefined
    ? { eventId: randomUUID(), type, data }
    : { eventId: randomUUID(), type, data, metadata };
}

export function newEvents(count: number, type: string): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { index }));
}

/** The WrongExpectedRevisionError an append must fail with; fails the test otherwise. */
export async function refusedAppend(append: Promise<unknown>): Promise<WrongExpectedRevisionError> {
  try {
    await append;
  } catch (error) {
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    return error as WrongExpectedRevisionError;
  }
  throw new Error('the append succeeded but should have been refused');
}

export function expectStrictlyIncreasing(values: readonly bigint[]): void {
  for (let i = 1; i < values.length; i++) {
    const previous = values[i - 1] as bigint;
    const current = values[i] as bigint;
    if (!(current > previous)) {
      throw new Error(`not strictly increasing at index ${i}: ${previous} then ${current}`);
    }
  }
}
