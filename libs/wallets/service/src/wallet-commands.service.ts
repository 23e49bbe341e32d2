import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type JsonObject } from '@burndown/ports';
import {
  BURNDOWN_CONFIG,
  handleCommand,
  loadStream,
  snapshotPolicy,
  type BurndownConfig,
  type CommandOutcome,
  type SnapshotPolicy,
} from '@burndown/runtime';
import {
  GENESIS_HASH,
  WALLET_EVENT_SCHEMA_VERSION,
  chainLinks,
  linkOf,
  walletDecider,
  walletEventCodec,
  walletStateCodec,
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
  private readonly logger = new Logger(WalletCommands.name);
  private readonly snapshots: SnapshotPolicy<WalletState>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(BURNDOWN_CONFIG) config?: Pick<BurndownConfig, 'snapshotEvery'>,
  ) {
    this.snapshots = snapshotPolicy(walletStateCodec, config, (message) => this.logger.warn(message));
  }

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
        metadata: { ...metadata, commandId: command.commandId, schemaVersion: WALLET_EVENT_SCHEMA_VERSION },
        snapshots: this.snapshots,
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

  /** The wallet as its stream says, now (latest snapshot + the events after it): the authoritative balance. */
  async load(walletId: string): Promise<{ state: WalletState; revision: bigint | undefined }> {
    const loaded = await loadStream(this.store, walletStreamName(walletId), walletDecider, walletEventCodec, this.snapshots);
    return { state: loaded.state, revision: loaded.last?.revision };
  }
}
