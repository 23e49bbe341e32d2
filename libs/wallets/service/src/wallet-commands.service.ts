import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type JsonObject } from '@burndown/ports';
import {
  BURNDOWN_CONFIG,
  DEFAULT_STREAM_CACHE_SIZE,
  StreamWriter,
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
  private readonly writer: StreamWriter<WalletCommand, WalletEvent, WalletState>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional()
    @Inject(BURNDOWN_CONFIG)
    config?: Pick<BurndownConfig, 'snapshotEvery'> &
      Partial<Pick<BurndownConfig, 'streamCacheSize'>>,
  ) {
    this.snapshots = snapshotPolicy(walletStateCodec, config, (message) =>
      this.logger.warn(message),
    );
    this.writer = new StreamWriter(store, walletDecider, walletEventCodec, {
      snapshots: this.snapshots,
      cacheSize: config?.streamCacheSize ?? DEFAULT_STREAM_CACHE_SIZE,
      link: (streamName, tail, events) => {
        const previousHash = (tail && linkOf(tail.metadata)?.hash) ?? GENESIS_HASH;
        const firstRevision = tail === undefined ? 0n : tail.revision + 1n;
        return chainLinks(streamName, previousHash, firstRevision, events).map((link) => ({
          ...link,
        }));
      },
    });
  }

  /** Commands for one wallet arriving together are decided in order and appended as one write. */
  execute(
    walletId: string,
    command: WalletCommand,
    metadata: JsonObject,
  ): Promise<CommandOutcome<WalletEvent, WalletState>> {
    return this.writer.execute(walletStreamName(walletId), command, {
      ...metadata,
      commandId: command.commandId,
      schemaVersion: WALLET_EVENT_SCHEMA_VERSION,
    });
  }

  /** The wallet as its writer holds it right now, with its revision, if it does (a wallet used recently). Reads nothing. */
  cached(
    walletId: string,
  ): { readonly state: WalletState; readonly revision: bigint | undefined } | undefined {
    return this.writer.cached(walletStreamName(walletId));
  }

  /** Recomputes the wallet stream's hash chain: any edited, removed or reordered event fails it. */
  async verify(walletId: string): Promise<ChainVerdict> {
    const streamName = walletStreamName(walletId);
    return verifyChain(streamName, await this.store.readStream(streamName));
  }

  /** The wallet as its stream says, now (latest snapshot + the events after it): the authoritative balance. */
  async load(walletId: string): Promise<{ state: WalletState; revision: bigint | undefined }> {
    const loaded = await loadStream(
      this.store,
      walletStreamName(walletId),
      walletDecider,
      walletEventCodec,
      this.snapshots,
    );
    return { state: loaded.state, revision: loaded.last?.revision };
  }
}
