export type WalletRejectionCode =
  | 'wallet-not-open'
  | 'wallet-already-open'
  | 'grant-already-exists'
  | 'grant-not-found'
  | 'grant-not-expired'
  | 'grant-not-refundable'
  | 'hold-already-exists'
  | 'hold-not-found'
  | 'hold-already-resolved'
  | 'hold-not-expired'
  | 'invalid-amount'
  | 'invalid-time'
  | 'invalid-policy'
  | 'insufficient-credits'
  | 'budget-exceeded'
  | 'budget-not-found';

/** A command the wallet refuses; nothing is appended. */
export class WalletCommandRejected extends Error {
  override readonly name = 'WalletCommandRejected';
  constructor(
    readonly code: WalletRejectionCode,
    message: string,
    /** The command field at fault, for API error bodies. */
    readonly field?: string,
  ) {
    super(message);
  }
}
