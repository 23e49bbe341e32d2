import { Module } from '@nestjs/common';
import { GrantsController } from './commands/grants.controller';
import { HoldsController } from './commands/holds.controller';
import { PolicyController } from './commands/policy.controller';
import { WalletCommandEndpoint } from './commands/wallet-command-endpoint';
import { WalletCommandResponder } from './commands/wallet-command.responder';
import { DueWallets } from './scheduler/due-wallets';
import { WalletScheduler } from './scheduler/wallet-scheduler';
import { WalletTimersProjection } from './scheduler/wallet-timers.projection';
import { CustomerLookupResponder } from './customers/customer-lookup.responder';
import { CustomersController } from './customers/customers.controller';
import { DebitUsageConsumer } from './debit-usage/debit-usage.consumer';
import { WalletLedgerProjection } from './ledger/wallet-ledger.projection';
import { WalletEventRelay } from './relay/wallet-event.relay';
import { WalletCommands } from './wallet-commands.service';
import { WalletStreamFanOut } from './wallet-stream-fan-out';
import { WalletsController } from './wallets/wallets.controller';

@Module({
  controllers: [
    CustomersController,
    WalletsController,
    GrantsController,
    HoldsController,
    PolicyController,
  ],
  providers: [
    WalletCommands,
    WalletCommandEndpoint,
    WalletCommandResponder,
    DebitUsageConsumer,
    CustomerLookupResponder,
    // One subscription over wallet streams feeds the ledger, the timers and the relay.
    WalletLedgerProjection,
    WalletTimersProjection,
    WalletEventRelay,
    WalletStreamFanOut,
    DueWallets,
    WalletScheduler,
  ],
})
export class WalletsModule {}
