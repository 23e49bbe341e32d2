import type { GrantKind } from './grant-kind';

export interface WalletOpened {
  readonly type: 'WalletOpened';
  readonly data: {
    readonly commandId: string;
    readonly walletId: string;
    readonly customerId: string;
    readonly name: string;
    readonly openedAt: Date;
  };
}

export interface CreditsGranted {
  readonly type: 'CreditsGranted';
  readonly data: {
    readonly commandId: string;
    readonly grantId: string;
    readonly kind: GrantKind;
    readonly amount: bigint;
    readonly grantedAt: Date;
  };
}

/** How much one debit took from one grant: every debit is traceable to the grants that paid. */
export interface GrantAllocation {
  readonly grantId: string;
  readonly amount: bigint;
}

export interface UsageDebited {
  readonly type: 'UsageDebited';
  readonly data: {
    readonly commandId: string;
    readonly usageEventId: string;
    readonly usageType: string;
    readonly amount: bigint;
    readonly allocations: readonly GrantAllocation[];
    /** The part no grant covered: usage already happened, so it is owed, not refused. */
    readonly unpaid: bigint;
    readonly debitedAt: Date;
  };
}

export type WalletEvent = WalletOpened | CreditsGranted | UsageDebited;
export type WalletEventType = WalletEvent['type'];
