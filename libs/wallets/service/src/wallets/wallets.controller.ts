import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  PageQueryDto,
  RequireScopes,
  Responds,
  findPage,
  notFound,
  toPageResponse,
  ForCustomer,
} from '@burndown/http';
import { CLOCK, READ_STORE, type Clock, type ReadStore } from '@burndown/ports';
import { LEDGER_COLLECTION } from '../ledger/ledger-entry';
import { WalletCommands } from '../wallet-commands.service';
import { WalletIdParam } from '../wallet-id.param';
import { WALLET, WALLET_LEDGER_PAGE, WALLET_VERIFICATION } from '../wallet-responses.schemas';
import { walletView } from './wallet-view';

@ApiTags('wallets')
@ForCustomer('id')
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
  @ApiOperation({ summary: 'Get a wallet: balance, grants, holds and budgets' })
  @Responds(200, WALLET)
  async get(@Param() { id }: WalletIdParam) {
    const { state, revision } = await this.wallets.load(id);
    if (state.status !== 'open') throw notFound(`wallet ${id} does not exist`, 'id');
    return walletView(state, revision, this.clock.now());
  }

  /** Audit: recomputes the stream's hash chain from the first event. */
  @Get(':id/verification')
  @RequireScopes('admin')
  @ApiOperation({ summary: "Verify the wallet stream's hash chain" })
  @Responds(200, WALLET_VERIFICATION)
  async verify(@Param() { id }: WalletIdParam) {
    const { state } = await this.wallets.load(id);
    if (state.status !== 'open') throw notFound(`wallet ${id} does not exist`, 'id');
    const verdict = await this.wallets.verify(id);
    return verdict.ok
      ? { walletId: id, intact: true, events: verdict.events, headHash: verdict.headHash }
      : {
          walletId: id,
          intact: false,
          brokenAtRevision: verdict.revision.toString(),
          reason: verdict.reason,
        };
  }

  /** Every grant and debit with the balance after it, oldest first; from the ledger projection. */
  @Get(':id/ledger')
  @RequireScopes('read')
  @ApiOperation({ summary: "List the wallet's ledger lines, oldest first" })
  @Responds(200, WALLET_LEDGER_PAGE)
  async ledger(@Param() { id }: WalletIdParam, @Query() page: PageQueryDto) {
    const { state } = await this.wallets.load(id);
    if (state.status !== 'open') throw notFound(`wallet ${id} does not exist`, 'id');
    // findPage: a cursor the store cannot decode is a 400 naming cursor, not a 500.
    const found = await findPage(this.readStore, LEDGER_COLLECTION, page, {
      where: { walletId: id },
    });
    return toPageResponse(found, (stored) => stored.document);
  }
}
