import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ProblemException, toFieldErrors, type FieldError } from '@burndown/http';
import { NoResponderError, RequestTimeoutError } from '@burndown/ports';
import { CustomerDirectory } from './customer-directory';
import { EventTimeWindow } from './event-time-window';
import { conflictingRepeats } from './in-batch-conflicts';
import { UsageEventDto } from './usage-event.dto';
import { asUsageEvent, passesFastCheck } from './usage-event-fast-check';
import { UsagePublisher } from './usage-publisher';

export const MAX_BATCH_EVENTS = 1_000;

export type EventResult =
  | {
      readonly index: number;
      readonly id: string | null;
      readonly status: 'accepted' | 'duplicate';
    }
  | {
      readonly index: number;
      readonly id: string | null;
      readonly status: 'rejected';
      readonly errors: readonly FieldError[];
    }
  /** Valid, but the bus did not store it: send the batch again (the stored ones come back as duplicates). */
  | {
      readonly index: number;
      readonly id: string | null;
      readonly status: 'unavailable';
      readonly reason: string;
    };

const PUBLISH_CONCURRENCY = MAX_BATCH_EVENTS;

/**
 * A batch, event by event: each is validated on its own (a bad one does not sink the others),
 * every valid one is published, and the answer says what became of each.
 */
@Injectable()
export class BatchIngestion {
  constructor(
    private readonly customers: CustomerDirectory,
    private readonly publisher: UsagePublisher,
    private readonly timeWindow: EventTimeWindow,
  ) {}

  async ingest(
    items: readonly unknown[],
    traceparent: string,
    pathOf: (index: number) => string,
    /** A customer-bound key's customer: events of any other are answered as of no customer. */
    boundTo: string | null = null,
  ): Promise<readonly EventResult[]> {
    const release = this.publisher.admit(items.length);
    try {
      const checked = await Promise.all(
        items.map((item, index) => this.check(item, index, pathOf(index), boundTo)),
      );
      const results: EventResult[] = new Array(items.length);
      const valid: { index: number; event: UsageEventDto }[] = [];
      for (const outcome of checked) {
        if ('event' in outcome) valid.push(outcome);
        else results[outcome.index] = outcome;
      }
      // One id with two contents: which one is meant cannot be told, so nothing is stored.
      const conflicts = conflictingRepeats(valid, (index) => `${pathOf(index)}.id`);
      if (conflicts.length > 0)
        throw new ProblemException({
          status: 422,
          type: 'conflicting-repeat',
          title: 'One id sent twice with different contents',
          detail: `${conflicts[0]?.detail ?? ''}; nothing in this batch was stored`,
          errors: conflicts,
        });
      for (let start = 0; start < valid.length; start += PUBLISH_CONCURRENCY) {
        await Promise.all(
          valid.slice(start, start + PUBLISH_CONCURRENCY).map(async ({ index, event }) => {
            try {
              results[index] = {
                index,
                id: event.id,
                status: await this.publisher.publish(event, traceparent),
              };
            } catch (error) {
              results[index] = {
                index,
                id: event.id,
                status: 'unavailable',
                reason: (error as Error).message,
              };
            }
          }),
        );
      }
      return results;
    } finally {
      release();
    }
  }

  private async check(
    item: unknown,
    index: number,
    path: string,
    boundTo: string | null,
  ): Promise<EventResult | { index: number; event: UsageEventDto }> {
    const id =
      typeof (item as { id?: unknown } | null)?.id === 'string'
        ? (item as { id: string }).id
        : null;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return {
        index,
        id,
        status: 'rejected',
        errors: [{ field: path, detail: 'an event is a JSON object' }],
      };
    }
    let event: UsageEventDto;
    if (passesFastCheck(item)) event = asUsageEvent(item);
    else {
      event = plainToInstance(UsageEventDto, item);
      const errors = await validate(event, { whitelist: true, forbidNonWhitelisted: true });
      if (errors.length > 0) {
        return {
          index,
          id,
          status: 'rejected',
          errors: toFieldErrors(errors).map((error) => ({
            ...error,
            field: `${path}.${error.field}`,
          })),
        };
      }
    }
    const outsideWindow = this.timeWindow.refusal(event.timestamp, `${path}.timestamp`);
    if (outsideWindow !== undefined)
      return { index, id, status: 'rejected', errors: [outsideWindow] };
    try {
      const reachable = boundTo === null || event.customerId === boundTo;
      if (!reachable || !(await this.customers.exists(event.customerId))) {
        return {
          index,
          id,
          status: 'rejected',
          errors: [
            { field: `${path}.customerId`, detail: `customer ${event.customerId} does not exist` },
          ],
        };
      }
    } catch (error) {
      if (error instanceof NoResponderError || error instanceof RequestTimeoutError) {
        return {
          index,
          id,
          status: 'unavailable',
          reason: 'the customer directory (wallets service) did not answer',
        };
      }
      throw error;
    }
    return { index, event };
  }
}
