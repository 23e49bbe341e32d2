import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type JsonObject } from '@burndown/ports';
import { foldRecorded, handleCommand, type CommandOutcome } from '@burndown/runtime';
import {
  walletDecider,
  walletEventCodec,
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
    return handleCommand(
      this.store,
      walletStreamName(walletId),
      walletDecider,
      walletEventCodec,
      command,
      { metadata: { ...metadata, commandId: command.commandId } },
    );
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
