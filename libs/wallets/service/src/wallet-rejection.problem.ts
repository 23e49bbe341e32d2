import { ProblemException } from '@burndown/http';
import { WalletCommandRejected, type WalletRejectionCode } from '@burndown/wallet-domain';

const STATUS_BY_CODE: Record<WalletRejectionCode, number> = {
  'wallet-not-open': 404,
  'wallet-already-open': 409,
  'grant-already-exists': 409,
  'invalid-amount': 400,
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
