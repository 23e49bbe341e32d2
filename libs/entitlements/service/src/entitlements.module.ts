import { Module } from '@nestjs/common';
import { BalanceViewConsumer } from './balance-view.consumer';
import { EntitlementsController } from './entitlements.controller';

@Module({ controllers: [EntitlementsController], providers: [BalanceViewConsumer] })
export class EntitlementsModule {}
