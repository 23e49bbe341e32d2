import { requests, type JsonObject, type MessageBus } from '@burndown/ports';

/** How long invoicing waits for the wallets to answer one command. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The wallets' answer to a command over the bus: done, or refused with a code. */
export interface WalletReply {
  readonly ok: boolean;
  readonly code?: string;
  readonly detail?: string;
}

/**
 * Asks the wallet to run one command (its JSON form, see wallet-commands.ts): invoicing moves
 * credit only through the wallets, never by writing their streams.
 */
export async function askWallet(
  bus: MessageBus,
  walletId: string,
  command: JsonObject,
): Promise<WalletReply> {
  const reply = (await bus.request(
    requests.walletCommand,
    { walletId, command },
    { timeoutMs: REQUEST_TIMEOUT_MS },
  )) as Partial<WalletReply> | null;
  return {
    ok: reply?.ok === true,
    ...(typeof reply?.code === 'string' ? { code: reply.code } : {}),
    ...(typeof reply?.detail === 'string' ? { detail: reply.detail } : {}),
  };
}
