import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@burndown/ports';
import { BURNDOWN_CONFIG, periodicTicks, type BurndownConfig } from '@burndown/runtime';
import { WalletCommandRejected, dueCommands, nextDueAt } from '@burndown/wallet-domain';
import { WalletCommands } from '../wallet-commands.service';
import { DueWallets } from './due-wallets';

const WALLETS_PER_TICK = 200;
/** A wallet whose due work changed nothing is looked at again after this, not on every tick. */
const RETRY_AFTER_MS = 60_000;

/**
 * Issues the time-driven commands: hold timeouts, grant expiries (with rollover) and allowance
 * periods, each when due. Command ids are derived from the wallet's state, so a tick that runs
 * twice (or two schedulers) changes each wallet once.
 */
@Injectable()
export class WalletScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WalletScheduler.name);
  private ticks: { stop(): Promise<void> } | undefined;

  constructor(
    private readonly wallets: WalletCommands,
    private readonly due: DueWallets,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BURNDOWN_CONFIG) private readonly config: Pick<BurndownConfig, 'schedulerIntervalMs'>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.schedulerIntervalMs === 0) return;
    this.ticks = periodicTicks(this.config.schedulerIntervalMs, () => this.tick());
  }

  async onModuleDestroy(): Promise<void> {
    await this.ticks?.stop();
  }

  /** One pass over the wallets due now; returns how many commands changed a wallet. */
  async tick(): Promise<number> {
    let applied = 0;
    for (const walletId of this.due.dueAt(this.clock.now(), WALLETS_PER_TICK)) {
      try {
        applied += await this.runDue(walletId);
      } catch (error) {
        this.logger.error(
          `scheduled work on wallet ${walletId} failed, retried next tick: ${String(error)}`,
        );
      }
    }
    return applied;
  }

  private async runDue(walletId: string): Promise<number> {
    const now = this.clock.now();
    const { state, revision } = await this.wallets.load(walletId);
    if (state.status !== 'open') {
      this.due.set(walletId, undefined);
      return 0;
    }
    let applied = 0;
    let after = state;
    for (const command of dueCommands(state, now, revision ?? 0n)) {
      try {
        const outcome = await this.wallets.execute(walletId, command, {
          correlationId: command.commandId,
          scheduledBy: 'wallet-scheduler',
        });
        if (outcome.events.length > 0) applied++;
        if (outcome.state.status === 'open') after = outcome.state;
      } catch (error) {
        // Refused (say, a hold settled a moment ago): the state moved on, the next tick re-reads it.
        if (!(error instanceof WalletCommandRejected)) throw error;
        this.logger.debug(`scheduled ${command.type} on ${walletId} refused: ${error.message}`);
      }
    }
    const next = nextDueAt(after);
    // The projection updates this too; setting it here keeps a wallet whose work changed nothing from spinning.
    this.due.set(
      walletId,
      next !== undefined && next <= now && applied === 0
        ? new Date(now.getTime() + RETRY_AFTER_MS)
        : next,
    );
    return applied;
  }
}
