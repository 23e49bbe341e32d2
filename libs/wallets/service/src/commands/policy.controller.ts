import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  IdempotencyKey,
  RequireScopes,
  Responds,
  badRequest,
  notFound,
  ForCustomer,
} from '@burndown/http';
import { parseAmount } from '@burndown/money';
import {
  DEFAULT_WALLET_POLICY,
  UndecodableError,
  decodeShape,
  encodeShape,
  walletPolicyShape,
  type WalletPolicy,
} from '@burndown/wallet-domain';
import { WalletCommands } from '../wallet-commands.service';
import { WalletIdParam } from '../wallet-id.param';
import { WALLET_COMMAND_RESULT, WALLET_POLICY } from '../wallet-responses.schemas';
import { DebitUsageDto, SetBudgetDto } from './debit-usage.dto';
import { BudgetParams } from './id-params';
import { WalletCommandEndpoint } from './wallet-command-endpoint';

const POLICY_SECTIONS = Object.keys(DEFAULT_WALLET_POLICY);

/** The body of PUT policy: the JSON that GET policy returns; an omitted section takes its default. */
function readPolicy(body: unknown): WalletPolicy {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('body', 'the body must be a JSON object');
  const unknownSection = Object.keys(body).find((section) => !POLICY_SECTIONS.includes(section));
  if (unknownSection !== undefined) {
    throw badRequest(
      unknownSection,
      `${unknownSection} is not a policy section; expected ${POLICY_SECTIONS.join(', ')}`,
    );
  }
  try {
    const merged = {
      ...(encodeShape(DEFAULT_WALLET_POLICY, walletPolicyShape) as object),
      ...body,
    };
    return decodeShape(merged, walletPolicyShape, 'policy') as WalletPolicy;
  } catch (error) {
    if (!(error instanceof UndecodableError)) throw error;
    const field = error.field?.replace(/^policy\.?/, '') || 'body';
    throw badRequest(field, error.message.replace(/^policy\./, ''));
  }
}

/** How a wallet may be spent: overdraft, alerts, auto top-up, rollover, sub-budgets; and direct debits. */
@ApiTags('wallets')
@ForCustomer('id')
@Controller('v1/wallets/:id')
export class PolicyController {
  constructor(
    private readonly endpoint: WalletCommandEndpoint,
    private readonly wallets: WalletCommands,
  ) {}

  @Get('policy')
  @RequireScopes('read')
  @ApiOperation({ summary: "Get the wallet's policy" })
  @Responds(200, WALLET_POLICY)
  async policy(@Param() { id }: WalletIdParam) {
    const { state } = await this.wallets.load(id);
    if (state.status !== 'open') throw notFound(`wallet ${id} does not exist`, 'id');
    return encodeShape(state.policy, walletPolicyShape);
  }

  @Put('policy')
  @RequireScopes('admin')
  @ApiOperation({ summary: "Replace the wallet's policy" })
  @Responds(200, WALLET_COMMAND_RESULT)
  @ApiBody({
    description:
      'Replaces the policy; omitted sections take their defaults. Amounts are micro-credit strings, durations milliseconds.',
    schema: {
      example: encodeShape(
        { ...DEFAULT_WALLET_POLICY, overdraft: { mode: 'allow-to-limit', limit: 5_000_000n } },
        walletPolicyShape,
      ),
    },
  })
  changePolicy(
    @Param() { id }: WalletIdParam,
    @Body() body: unknown,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.endpoint.run(
      id,
      'ChangeWalletPolicy',
      { policy: readPolicy(body) },
      { idempotencyKey },
    );
  }

  @Put('budgets/:budgetId')
  @RequireScopes('admin')
  @ApiOperation({ summary: "Set a sub-budget's cap" })
  @Responds(200, WALLET_COMMAND_RESULT)
  setBudget(
    @Param() { id, budgetId }: BudgetParams,
    @Body() body: SetBudgetDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.endpoint.run(
      id,
      'SetBudget',
      { budgetId, cap: parseAmount(body.cap) },
      { idempotencyKey },
    );
  }

  /** 402 when the wallet cannot pay under its overdraft policy or the budget's cap. */
  @Post('debits')
  @HttpCode(201)
  @RequireScopes('ingest')
  @ApiOperation({ summary: 'Debit usage from the wallet' })
  @Responds(201, WALLET_COMMAND_RESULT)
  debit(@Param() { id }: WalletIdParam, @Body() body: DebitUsageDto) {
    return this.endpoint.run(
      id,
      'DebitUsage',
      {
        usageEventId: body.usageEventId,
        feature: body.feature,
        amount: parseAmount(body.amount),
        budgetId: body.budgetId ?? null,
      },
      // The usage event id is the command id, as on the bus: a debit over HTTP and the same event from rating pay once.
      { idempotencyKey: undefined, naturalId: `usage:${body.usageEventId}` },
    );
  }
}
