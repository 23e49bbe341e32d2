import { subjects, type JsonObject, type RecordedEvent } from '@burndown/ports';
import { availableAt, balanceOf, type WalletEvent, type WalletState } from '@burndown/wallet-domain';

export interface IntegrationMessage {
  readonly subject: string;
  readonly payload: JsonObject;
}

/**
 * What other services may know about a wallet event. Published with message id = event id, so a
 * relay that re-publishes after a crash is deduplicated by the bus.
 */
export function integrationMessageOf(
  walletId: string,
  recorded: RecordedEvent,
  event: WalletEvent,
  state: WalletState,
): IntegrationMessage | undefined {
  if (state.status !== 'open') return undefined;
  const common = {
    walletId,
    customerId: state.customerId,
    revision: recorded.revision.toString(),
    eventId: recorded.eventId,
    occurredAt: recorded.recordedAt.toISOString(),
  };
  if (event.type === 'WalletOpened') {
    return { subject: subjects.walletEvent('opened', walletId), payload: { ...common, name: state.name } };
  }
  const balance = balanceOf(state).toString();
  return {
    subject: subjects.walletEvent('balance-changed', walletId),
    payload: {
      ...common,
      balance,
      available: availableAt(state, state.lastEventAt).toString(),
      cause: {
        type: event.type,
        ...(event.type === 'UsageDebited' ? { usageEventId: event.data.usageEventId } : {}),
        ...(event.type === 'CreditsGranted' ? { grantId: event.data.grantId } : {}),
      },
    },
  };
}
