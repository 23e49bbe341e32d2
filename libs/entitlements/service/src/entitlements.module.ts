import { Module } from '@nestjs/common';
import { BalanceViewConsumer } from './balance-view.consumer';
import { EntitlementsController } from './entitlements.controller';

/** Entitlement checks over HTTP, answered from the balance view. */
@Module({ controllers: [EntitlementsController] })
export class EntitlementsApiModule {}

/** balance-changed → the balance view. */
@Module({ providers: [BalanceViewConsumer] })
export class EntitlementsPipelineModule {}

/** The entitlements service whole, as one process or one thread hosts it. */
@Module({ imports: [EntitlementsApiModule, EntitlementsPipelineModule] })
export class EntitlementsModule {}
