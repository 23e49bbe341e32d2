import type { GrantKind } from './grant-kind';

/** Every command carries its id (the idempotency key) and the time it is decided at. */
interface CommandBase {
  readonly commandId: string;
  readonly at: Date;
}

export interface OpenWallet extends CommandBase {
  readonly type: 'OpenWallet';
  readonly walletId: string;
  readonly customerId: string;
  readonly name: string;
}

export interface GrantCredits extends CommandBase {
  readonly type: 'GrantCredits';
  readonly grantId: string;
  readonly kind: GrantKind;
  /** Micro-credits. */
  readonly amount: bigint;
}

export interface DebitUsage extends CommandBase {
  readonly type: 'DebitUsage';
  readonly usageEventId: string;
  readonly usageType: string;
  /** Micro-credits, as rated. */
  readonly amount: bigint;
}

export type WalletCommand = OpenWallet | GrantCredits | DebitUsage;
