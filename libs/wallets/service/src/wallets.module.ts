import { Module } from '@nestjs/common';
import { CustomerLookupResponder } from './customers/customer-lookup.responder';
import { CustomersController } from './customers/customers.controller';
import { DebitUsageConsumer } from './debit-usage/debit-usage.consumer';
import { WalletLedgerProjection } from './ledger/wallet-ledger.projection';
import { WalletEventRelay } from './relay/wallet-event.relay';
import { WalletCommands } from './wallet-commands.service';
import { WalletsController } from './wallets/wallets.controller';

@Module({
  controllers: [CustomersController, WalletsController],
  providers: [
    WalletCommands,
    DebitUsageConsumer,
    CustomerLookupResponder,
    WalletLedgerProjection,
    WalletEventRelay,
  ],
})
export class WalletsModule {}
