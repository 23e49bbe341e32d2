import { isInForce } from '../grant';
import type { RefundPurchase } from '../wallet-commands';
import type { WalletEvent } from '../wallet-events';
import { WalletCommandRejected } from '../wallet-rejection';
import type { OpenWalletState } from '../wallet-state';
import { requirePositive } from './guards';

/**
 * Pays back unused credits of a paid grant: only free credit of a grant in force (what a hold
 * earmarked is promised to its job; what expired is breakage already), and only of a grant that
 * cost money — credit given away has nothing to pay back.
 */
export function refundPurchase(
  command: RefundPurchase,
  state: OpenWalletState,
): readonly WalletEvent[] {
  requirePositive(command.amount, 'amount', 'a refund');
  const grant = state.grants.get(command.grantId);
  if (grant === undefined) {
    throw new WalletCommandRejected(
      'grant-not-found',
      `grant ${command.grantId} does not exist`,
      'grantId',
    );
  }
  if (grant.costBasis.microsPerCredit === 0n) {
    throw new WalletCommandRejected(
      'grant-not-refundable',
      `grant ${command.grantId} cost nothing: there is no money to pay back`,
      'grantId',
    );
  }
  if (!isInForce(grant, command.at.getTime())) {
    throw new WalletCommandRejected(
      'grant-not-refundable',
      `grant ${command.grantId} is not in force (not yet effective, or expired)`,
      'grantId',
    );
  }
  if (command.amount > grant.remaining) {
    throw new WalletCommandRejected(
      'insufficient-credits',
      `grant ${command.grantId} has ${grant.remaining} unused micro-credits free to refund, ${command.amount} asked`,
      'amount',
    );
  }
  return [
    {
      type: 'PurchaseRefunded',
      data: {
        commandId: command.commandId,
        at: command.at,
        refundId: command.refundId,
        grantId: grant.grantId,
        amount: command.amount,
        costBasis: grant.costBasis,
        reason: command.reason,
      },
    },
  ];
}
