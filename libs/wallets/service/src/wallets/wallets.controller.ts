import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PageQueryDto, RequireScopes, notFound, toPageResponse } from '@burndown/http';
import { CLOCK, READ_STORE, type Clock, type ReadStore } from '@burndown/ports';
import { LEDGER_COLLECTION } from '../ledger/ledger-entry';
import { WalletCommands } from '../wallet-commands.service';
import { WalletIdParam } from '../wallet-id.param';
import { walletView } from './wallet-view';

@ApiTags('wallets')
@Controller('v1/wallets')
export class WalletsController {
  constructor(
    private readonly wallets: WalletCommands,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Balance, grants and revision folded from the wallet's own stream, not from a projection. */
  @Get(':id')
  @RequireScopes('read')
  async get(@Param() { id }: WalletIdParam) {
    const { state, revision } = await this.wallets.load(id);
    if (state.status !== 'open') throw notFound(`wallet ${id} does not exist`, 'id');
    return walletView(state, revision, this.clock.now());
  }

  /** Audit: recomputes the stream's hash chain from the first event. */
  @Get(':id/verification')
  @RequireScopes('admin')
  async verify(@Param() { id }: WalletIdParam) {
    const { state } = await this.wallets.load(id);
    if (state.status !== 'open') throw notFound(`wallet ${id} does not exist`, 'id');
    const verdict = await this.wallets.verify(id);
    return verdict.ok
      ? { walletId: id, intact: true, events: verdict.events, headHash: verdict.headHash }
      : { walletId: id, intact: false, brokenAtRevision: verdict.revision.toString(), reason: verdict.reason };
  }

  /** Every grant and debit with the balance after it, oldest first; from the ledger projection. */
  @Get(':id/ledger')
  @RequireScopes('read')
  async ledger(@Param() { id }: WalletIdParam, @Query() page: PageQueryDto) {
    const { state } = await this.wallets.load(id);
    if (state.status !== 'open') throw notFound(`wallet ${id} does not exist`, 'id');
    const found = await this.readStore.find(LEDGER_COLLECTION, {
      where: { walletId: id },
      limit: page.limit,
      ...(page.cursor ? { after: page.cursor } : {}),
    });
    return toPageResponse(found, (stored) => stored.document);
  }
}
