import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type JsonObject } from '@burndown/ports';
import { foldRecorded, handleCommand, type CommandOutcome } from '@burndown/runtime';
import {
  GENESIS_HASH,
  chainLinks,
  linkOf,
  walletDecider,
  walletEventCodec,
  verifyChain,
  type ChainVerdict,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '@burndown/wallet-domain';
import { walletStreamName } from './wallet-stream';

/** The one way into a wallet stream: every HTTP call and bus message goes through here. */
@Injectable()
export class WalletCommands {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(
    walletId: string,
    command: WalletCommand,
    metadata: JsonObject,
  ): Promise<CommandOutcome<WalletEvent, WalletState>> {
    const streamName = walletStreamName(walletId);
    return handleCommand(
      this.store,
      streamName,
      walletDecider,
      walletEventCodec,
      command,
      {
        metadata: { ...metadata, commandId: command.commandId },
        link: (last, events) => {
          const previousHash = (last && linkOf(last.metadata)?.hash) ?? GENESIS_HASH;
          const firstRevision = last === undefined ? 0n : last.revision + 1n;
          return chainLinks(streamName, previousHash, firstRevision, events).map((link) => ({ ...link }));
        },
      },
    );
  }

  /** Recomputes the wallet stream's hash chain: any edited, removed or reordered event fails it. */
  async verify(walletId: string): Promise<ChainVerdict> {
    const streamName = walletStreamName(walletId);
    return verifyChain(streamName, await this.store.readStream(streamName));
  }

  /** The wallet as its stream says, folded now: the authoritative balance. */
  async load(walletId: string): Promise<{ state: WalletState; revision: bigint | undefined }> {
    const history = await this.store.readStream(walletStreamName(walletId));
    return {
      state: foldRecorded(history, walletDecider, walletEventCodec),
      revision: history.at(-1)?.revision,
    };
  }
}
