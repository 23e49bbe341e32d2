import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { notFound } from '@burndown/http';
import { CLOCK, type Clock } from '@burndown/ports';
import { encodeWalletEvent, type WalletCommand } from '@burndown/wallet-domain';
import { WalletCommands } from '../wallet-commands.service';
import { asProblem } from '../wallet-rejection.problem';
import { walletView } from '../wallets/wallet-view';

type CommandFields<Type extends WalletCommand['type']> = Omit<
  Extract<WalletCommand, { type: Type }>,
  'type' | 'commandId' | 'at'
>;

/**
 * What every command endpoint does: stamp the time and the command id, run the command, and
 * answer with the events it caused (none when the command id was seen before) and the wallet after them.
 */
@Injectable()
export class WalletCommandEndpoint {
  constructor(
    private readonly wallets: WalletCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /**
   * `commandId`: the Idempotency-Key when sent, else one derived from the resource id (so a retry
   * without the header is still one command), else a fresh id for commands that set a value.
   */
  async run<Type extends WalletCommand['type']>(
    walletId: string,
    type: Type,
    fields: CommandFields<Type>,
    ids: { readonly idempotencyKey: string | undefined; readonly naturalId?: string },
  ) {
    const commandId = ids.idempotencyKey ?? ids.naturalId ?? randomUUID();
    const command = {
      ...fields,
      type,
      commandId,
      at: this.clock.now(),
    } as unknown as WalletCommand;
    const outcome = await asProblem(() =>
      this.wallets.execute(walletId, command, { correlationId: commandId }),
    );
    if (outcome.state.status !== 'open') throw notFound(`wallet ${walletId} does not exist`, 'id');
    return {
      walletId,
      commandId,
      events: outcome.events.map(encodeWalletEvent),
      wallet: walletView(outcome.state, outcome.revision, this.clock.now()),
    };
  }
}
