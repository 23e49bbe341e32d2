import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  CLOCK,
  EVENT_STORE,
  MESSAGE_BUS,
  type Clock,
  type EventStore,
  type JsonValue,
  type MessageBus,
  type Subscription,
} from '@burndown/ports';
import { BURNDOWN_CONFIG, periodicTicks, type BurndownConfig } from '@burndown/runtime';
import {
  evolveSubscription,
  initialSubscriptionState,
  periodsThrough,
  subscriptionEventCodec,
  type BillingPeriod,
  type PlanDefinition,
  type PlanPhase,
  type RolloverPolicy,
  type SubscriptionState,
} from '@burndown/invoicing-domain';
import { askWallet } from '../ask-wallet';
import { Invoices } from '../invoices/invoices';
import { OverageBilling } from '../overage/overage-billing';
import { CommitmentTrueUps } from './commitment-true-ups';
import { periodInvoiceId } from './period-invoice-id';
import { PlanCatalogue } from './plan-catalogue';
import { SUBSCRIPTION_STREAM_PREFIX } from './plan-streams';

export { periodInvoiceId } from './period-invoice-id';

/**
 * Bills each period of every subscription when it starts: the plan's base fee as a finalized
 * invoice (`<subscriptionId>.p<n>`), and its allowance as an allowance period on the customer's
 * wallet that ends with the billing period (the wallet rolls it over by its own policy). Each step
 * has an id of its own (the invoice id, the wallet command id), so a tick that runs twice, a
 * restart, or two processes bill a period once. A period that ended before it was billed (the
 * process was down) still gets its invoice, not its allowance. A failure (no wallet for the
 * customer yet, a bus that does not answer) is tried again on the next tick.
 */
@Injectable()
export class SubscriptionBilling implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SubscriptionBilling.name);
  private readonly subscriptions = new Map<string, SubscriptionState>();
  /** Per subscription, the last period billed by this process. */
  private readonly billedThrough = new Map<string, number>();
  /** Per subscription, the last ended period whose overage this process settled. */
  private readonly overageSettledThrough = new Map<string, number>();
  /** Subscriptions whose last failure was logged, so a lasting one is logged once. */
  private readonly failing = new Set<string>();
  private feed: Subscription | undefined;
  private ticks: { stop(): Promise<void> } | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BURNDOWN_CONFIG) private readonly config: Pick<BurndownConfig, 'schedulerIntervalMs'>,
    private readonly invoices: Invoices,
    private readonly catalogue: PlanCatalogue,
    private readonly overage: OverageBilling,
    private readonly commitments: CommitmentTrueUps,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.schedulerIntervalMs === 0) return;
    // Every subscription from its first event: the set is small and each needs its whole state.
    this.feed = this.store.subscribeToAll(
      { filter: { streamNamePrefixes: [SUBSCRIPTION_STREAM_PREFIX] } },
      async (recorded) => {
        const subscriptionId = recorded.streamName.slice(SUBSCRIPTION_STREAM_PREFIX.length);
        const event = subscriptionEventCodec.decode(recorded.type, recorded.data);
        const before = this.subscriptions.get(subscriptionId) ?? initialSubscriptionState();
        this.subscriptions.set(subscriptionId, evolveSubscription(before, event));
      },
    );
    this.ticks = periodicTicks(this.config.schedulerIntervalMs, () => this.tick());
  }

  async onModuleDestroy(): Promise<void> {
    await this.ticks?.stop();
    await this.feed?.stop();
  }

  /** Bills every period that has started and is not billed yet; returns how many it billed. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    let billed = 0;
    for (const [subscriptionId, state] of this.subscriptions) {
      const periods = periodsThrough(state, now);
      const due = periods.slice((this.billedThrough.get(subscriptionId) ?? -1) + 1);
      const ended = periods
        .slice((this.overageSettledThrough.get(subscriptionId) ?? -1) + 1)
        .filter(({ period }) => endOf(state, period) <= now);
      try {
        // The period that ended first, then the one that starts.
        for (const { phase, period } of ended) {
          if (state.status === 'started') {
            const plan = await this.planOf(phase);
            await this.overage.settle(subscriptionId, state.customerId, plan, period, now);
            if (plan.commitment !== null) {
              // The true-up counts the period's base fee: billed first, if nothing billed it yet.
              await this.bill(subscriptionId, state, phase, period, now);
              await this.commitments.trueUp(subscriptionId, state.customerId, plan, period, now);
            }
          }
          this.overageSettledThrough.set(subscriptionId, period.index);
        }
        for (const { phase, period } of due) {
          await this.bill(subscriptionId, state, phase, period, now);
          this.billedThrough.set(subscriptionId, period.index);
          billed++;
        }
        this.failing.delete(subscriptionId);
      } catch (error) {
        if (!this.failing.has(subscriptionId))
          this.logger.warn(
            `billing subscription ${subscriptionId} failed, tried again each tick: ${String(error)}`,
          );
        this.failing.add(subscriptionId);
      }
    }
    return billed;
  }

  private async bill(
    subscriptionId: string,
    state: SubscriptionState,
    phase: PlanPhase,
    period: BillingPeriod,
    now: Date,
  ): Promise<void> {
    if (state.status !== 'started') return;
    const plan = await this.planOf(phase);
    if (plan.baseFee > 0n) {
      await this.invoices.issue(periodInvoiceId(subscriptionId, period.index), {
        at: now,
        customerId: state.customerId,
        currency: plan.currency,
        source: { type: 'subscription-period', subscriptionId, period: period.index },
        taxRate: null,
        lines: [
          {
            lineId: 'base-fee',
            description: `${plan.name}, ${period.start.toISOString()} to ${period.end.toISOString()}`,
            quantity: 1n,
            unitPrice: plan.baseFee,
            credits: 0n,
          },
        ],
      });
    }
    if (plan.allowance !== null && plan.allowance.credits > 0n && period.end > now) {
      const periodId = `${subscriptionId}:${period.index}`;
      const reply = await askWallet(this.bus, state.customerId, {
        type: 'StartAllowancePeriod',
        commandId: `allowance:${periodId}`,
        periodId,
        amount: plan.allowance.credits.toString(),
        periodEnd: period.end.toISOString(),
        // The plan's rollover, not the wallet policy's, decides what of it carries over.
        rollover: walletRolloverOf(plan.allowance.rollover),
      });
      if (!reply.ok && reply.code !== 'grant-already-exists')
        throw new Error(
          `wallet ${state.customerId} refused the allowance: ${reply.code} ${reply.detail ?? ''}`,
        );
    }
  }

  private async planOf(phase: PlanPhase): Promise<PlanDefinition> {
    const plan = (await this.catalogue.history(phase.planId)).versions.find(
      (version) => version.version === phase.planVersion,
    )?.definition;
    if (plan === undefined)
      throw new Error(`plan ${phase.planId} v${phase.planVersion} is missing`);
    return plan;
  }
}

/** A period ends at its end, or earlier when the subscription was cancelled inside it. */
function endOf(state: SubscriptionState, period: BillingPeriod): Date {
  const endsAt = state.status === 'started' ? state.endsAt : null;
  return endsAt !== null && endsAt < period.end ? endsAt : period.end;
}

/** A plan's rollover as the wallet's terms (the JSON of its command codec). */
function walletRolloverOf(rollover: RolloverPolicy): JsonValue {
  switch (rollover.mode) {
    case 'none':
      return { mode: 'none' };
    case 'all':
      return { mode: 'all', expiresAfterMs: null };
    case 'capped':
      return {
        mode: 'capped',
        capPercentOfAllowance: null,
        fixedCap: rollover.cap.toString(),
        expiresAfterMs: null,
      };
  }
}
