import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  IdempotencyKey,
  RequireScopes,
  Responds,
  notFound,
  unprocessable,
  ForCustomer,
} from '@burndown/http';
import { parseAmount } from '@burndown/money';
import { WalletCommands } from '../wallet-commands.service';
import { WalletIdParam } from '../wallet-id.param';
import { WALLET_COMMAND_RESULT, WALLET_HOLD_STATUS } from '../wallet-responses.schemas';
import { holdView } from '../wallets/wallet-view';
import { DEFAULT_HOLD_TIMEOUT_SECONDS, PlaceHoldDto, SettleHoldDto } from './holds.dto';
import { HoldParams } from './id-params';
import { WalletCommandEndpoint } from './wallet-command-endpoint';

/** Reserve credit before spending compute, then settle what was used, or release it. */
@ApiTags('holds')
@ForCustomer('id')
@Controller('v1/wallets/:id/holds')
@RequireScopes('ingest')
export class HoldsController {
  constructor(
    private readonly endpoint: WalletCommandEndpoint,
    private readonly wallets: WalletCommands,
  ) {}

  /** 402 when the wallet cannot cover the reservation under its overdraft policy or budget. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Place a hold: reserve credit before spending compute' })
  @Responds(201, WALLET_COMMAND_RESULT)
  place(
    @Param() { id }: WalletIdParam,
    @Body() body: PlaceHoldDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    const holdId = body.holdId ?? idempotencyKey;
    if (holdId === undefined)
      throw unprocessable('Idempotency-Key', 'send an Idempotency-Key header or a holdId');
    const timeoutMs = (body.timeoutSeconds ?? DEFAULT_HOLD_TIMEOUT_SECONDS) * 1_000;
    return this.endpoint.run(
      id,
      'PlaceHold',
      {
        holdId,
        amount: parseAmount(body.amount),
        feature: body.feature,
        expiresAt: new Date(this.endpoint.now().getTime() + timeoutMs),
        budgetId: body.budgetId ?? null,
      },
      { idempotencyKey, naturalId: `hold:${holdId}:place` },
    );
  }

  /** The hold while it is active, or how it ended. */
  @Get(':holdId')
  @ApiOperation({ summary: 'Get a hold: active, or how it ended' })
  @Responds(200, WALLET_HOLD_STATUS)
  async get(@Param() { id, holdId }: HoldParams) {
    const { state } = await this.wallets.load(id);
    if (state.status !== 'open') throw notFound(`wallet ${id} does not exist`, 'id');
    const active = state.holds.get(holdId);
    if (active !== undefined) return { ...holdView(active), status: 'active' };
    const resolution = state.resolvedHolds.get(holdId);
    if (resolution === undefined)
      throw notFound(`hold ${holdId} does not exist on wallet ${id}`, 'holdId');
    return { id: holdId, status: resolution };
  }

  /** Burns what the job really used; earmarked credit it did not use returns to its grants. */
  @Post(':holdId/settlement')
  @HttpCode(200)
  @ApiOperation({ summary: 'Settle a hold with the amount really used' })
  @Responds(200, WALLET_COMMAND_RESULT)
  settle(
    @Param() { id, holdId }: HoldParams,
    @Body() body: SettleHoldDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.endpoint.run(
      id,
      'SettleHold',
      { holdId, amount: parseAmount(body.amount) },
      { idempotencyKey, naturalId: `hold:${holdId}:settle` },
    );
  }

  @Post(':holdId/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Release a hold: its credit returns to the wallet' })
  @Responds(200, WALLET_COMMAND_RESULT)
  release(
    @Param() { id, holdId }: HoldParams,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.endpoint.run(
      id,
      'ReleaseHold',
      { holdId },
      { idempotencyKey, naturalId: `hold:${holdId}:release` },
    );
  }

  /** Normally the scheduler's job; refused (409) before the hold's timeout. */
  @Post(':holdId/expiry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Expire a hold past its timeout' })
  @Responds(200, WALLET_COMMAND_RESULT)
  expire(
    @Param() { id, holdId }: HoldParams,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.endpoint.run(
      id,
      'ExpireHold',
      { holdId },
      { idempotencyKey, naturalId: `hold:${holdId}:expire` },
    );
  }
}
