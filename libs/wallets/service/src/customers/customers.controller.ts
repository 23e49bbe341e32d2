import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotencyKey, RequireScopes, Responds, notFound, ForCustomer } from '@burndown/http';
import { CLOCK, type Clock } from '@burndown/ports';
import { WalletCommands } from '../wallet-commands.service';
import { asProblem } from '../wallet-rejection.problem';
import { CREATED_CUSTOMER, CUSTOMER } from '../wallet-responses.schemas';
import { CreateCustomerDto } from './create-customer.dto';
import { WalletIdParam } from '../wallet-id.param';

@ApiTags('customers')
@Controller('v1/customers')
export class CustomersController {
  constructor(
    private readonly wallets: WalletCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Registers a customer and opens its wallet in one append: the wallet's first event. */
  @Post()
  @HttpCode(201)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Register a customer and open its wallet' })
  @Responds(201, CREATED_CUSTOMER)
  async create(
    @Body() body: CreateCustomerDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    await asProblem(() =>
      this.wallets.execute(
        body.id,
        {
          type: 'OpenWallet',
          // Without a key, creating an existing customer again is a conflict (409), not a silent repeat.
          commandId: idempotencyKey ?? randomUUID(),
          walletId: body.id,
          customerId: body.id,
          name: body.name,
          at: this.clock.now(),
        },
        { correlationId: idempotencyKey ?? body.id },
      ),
    );
    return { id: body.id, name: body.name, walletId: body.id };
  }

  @Get(':id')
  @ForCustomer('id')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Get a customer' })
  @Responds(200, CUSTOMER)
  async get(@Param() { id }: WalletIdParam) {
    const { state } = await this.wallets.load(id);
    if (state.status !== 'open') throw notFound(`customer ${id} does not exist`, 'id');
    return {
      id: state.customerId,
      name: state.name,
      walletId: state.walletId,
      createdAt: state.openedAt.toISOString(),
    };
  }
}
