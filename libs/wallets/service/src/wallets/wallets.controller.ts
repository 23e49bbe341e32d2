import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  IdempotencyKey,
  PageQueryDto,
  RequireScopes,
  notFound,
  toPageResponse,
  unprocessable,
} from '@burndown/http';
import { parseAmount } from '@burndown/money';
import { CLOCK, READ_STORE, type Clock, type ReadStore } from '@burndown/ports';
import { LEDGER_COLLECTION } from '../ledger/ledger-entry';
import { WalletCommands } from '../wallet-commands.service';
import { WalletIdParam } from '../wallet-id.param';
import { asProblem } from '../wallet-rejection.problem';
import { GrantCreditsDto } from './grant-credits.dto';
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

  @Post(':id/grants')
  @HttpCode(201)
  @RequireScopes('admin')
  async grant(
    @Param() { id }: WalletIdParam,
    @Body() body: GrantCreditsDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    const grantId = body.grantId ?? idempotencyKey;
    if (grantId === undefined) {
      throw unprocessable('Idempotency-Key', 'a grant needs an Idempotency-Key header or a grantId');
    }
    const { state, revision } = await asProblem(() =>
      this.wallets.execute(
        id,
        {
          type: 'GrantCredits',
          commandId: idempotencyKey ?? `grant:${grantId}`,
          grantId,
          kind: body.kind,
          amount: parseAmount(body.amount),
          at: this.clock.now(),
        },
        { correlationId: idempotencyKey ?? grantId },
      ),
    );
    if (state.status !== 'open') throw notFound(`wallet ${id} does not exist`, 'id');
    return { walletId: id, grantId, kind: body.kind, amount: body.amount, wallet: walletView(state, revision, this.clock.now()) };
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
