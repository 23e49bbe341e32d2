import { ProblemException } from '@burndown/http';
import { WalletCommandRejected, type WalletRejectionCode } from '@burndown/wallet-domain';

const STATUS_BY_CODE: Record<WalletRejectionCode, number> = {
  'wallet-not-open': 404,
  'wallet-already-open': 409,
  'grant-already-exists': 409,
  'grant-not-found': 404,
  'grant-not-expired': 409,
  'grant-not-refundable': 409,
  'hold-already-exists': 409,
  'hold-not-found': 404,
  'hold-already-resolved': 409,
  'hold-not-expired': 409,
  'invalid-amount': 400,
  'invalid-time': 400,
  'invalid-policy': 400,
  // Payment Required: the wallet cannot pay for this under its overdraft policy or budget.
  'insufficient-credits': 402,
  'budget-exceeded': 402,
  'budget-not-found': 404,
};

/** Runs a wallet command and turns the wallet's refusal into the matching problem+json. */
export async function asProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof WalletCommandRejected)) throw error;
    throw new ProblemException({
      status: STATUS_BY_CODE[error.code],
      type: error.code,
      title: error.message,
      detail: error.message,
      ...(error.field ? { errors: [{ field: error.field, detail: error.message }] } : {}),
    });
  }
}
