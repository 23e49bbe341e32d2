import { parseAmount } from '@burndown/money';
import { isGrantKind } from './grant-kind';
import type { GrantAllocation, WalletEvent } from './wallet-events';

/** Version of the JSON shape below; bump it (and keep decoding the old one) when a shape changes. */
export const WALLET_EVENT_SCHEMA_VERSION = 1;

export type EncodedData = { readonly [key: string]: EncodedValue };
type EncodedValue = string | number | boolean | null | EncodedData | readonly EncodedValue[];

export interface EncodedWalletEvent {
  readonly type: WalletEvent['type'];
  readonly data: EncodedData;
}

/** JSON form of a wallet event: amounts as decimal strings, times as ISO-8601. */
export function encodeWalletEvent(event: WalletEvent): EncodedWalletEvent {
  switch (event.type) {
    case 'WalletOpened':
      return {
        type: event.type,
        data: { ...event.data, openedAt: event.data.openedAt.toISOString() },
      };
    case 'CreditsGranted':
      return {
        type: event.type,
        data: {
          ...event.data,
          amount: event.data.amount.toString(),
          grantedAt: event.data.grantedAt.toISOString(),
        },
      };
    case 'UsageDebited':
      return {
        type: event.type,
        data: {
          ...event.data,
          amount: event.data.amount.toString(),
          unpaid: event.data.unpaid.toString(),
          allocations: event.data.allocations.map((a) => ({
            grantId: a.grantId,
            amount: a.amount.toString(),
          })),
          debitedAt: event.data.debitedAt.toISOString(),
        },
      };
  }
}

export class UndecodableWalletEventError extends Error {
  override readonly name = 'UndecodableWalletEventError';
}

export function decodeWalletEvent(type: string, data: Readonly<Record<string, unknown>>): WalletEvent {
  const read = new FieldReader(type, data);
  switch (type) {
    case 'WalletOpened':
      return {
        type,
        data: {
          commandId: read.text('commandId'),
          walletId: read.text('walletId'),
          customerId: read.text('customerId'),
          name: read.text('name'),
          openedAt: read.time('openedAt'),
        },
      };
    case 'CreditsGranted': {
      const kind = read.text('kind');
      if (!isGrantKind(kind)) throw new UndecodableWalletEventError(`${type}: unknown grant kind ${kind}`);
      return {
        type,
        data: {
          commandId: read.text('commandId'),
          grantId: read.text('grantId'),
          kind,
          amount: read.amount('amount'),
          grantedAt: read.time('grantedAt'),
        },
      };
    }
    case 'UsageDebited':
      return {
        type,
        data: {
          commandId: read.text('commandId'),
          usageEventId: read.text('usageEventId'),
          usageType: read.text('usageType'),
          amount: read.amount('amount'),
          allocations: read.allocations('allocations'),
          unpaid: read.amount('unpaid'),
          debitedAt: read.time('debitedAt'),
        },
      };
    default:
      throw new UndecodableWalletEventError(`unknown wallet event type ${type}`);
  }
}

class FieldReader {
  constructor(
    private readonly type: string,
    private readonly data: Readonly<Record<string, unknown>>,
  ) {}

  text(field: string): string {
    const value = this.data[field];
    if (typeof value !== 'string') throw this.fail(field, 'a string');
    return value;
  }

  amount(field: string): bigint {
    return parseAmount(this.text(field));
  }

  time(field: string): Date {
    const time = new Date(this.text(field));
    if (Number.isNaN(time.getTime())) throw this.fail(field, 'an ISO-8601 time');
    return time;
  }

  allocations(field: string): readonly GrantAllocation[] {
    const value = this.data[field];
    if (!Array.isArray(value)) throw this.fail(field, 'an array');
    return value.map((item: Record<string, unknown>) => {
      const entry = new FieldReader(this.type, item);
      return { grantId: entry.text('grantId'), amount: entry.amount('amount') };
    });
  }

  private fail(field: string, expected: string): UndecodableWalletEventError {
    return new UndecodableWalletEventError(`${this.type}.${field}: expected ${expected}`);
  }
}
