import { BusSubscription } from '@burndown/runtime';
import { Inject, Injectable } from '@nestjs/common';
import {
  CLOCK,
  MESSAGE_BUS,
  requests,
  type Clock,
  type JsonValue,
  type MessageBus,
  type Subscription,
} from '@burndown/ports';
import {
  UndecodableError,
  WalletCommandRejected,
  activeHoldsTotal,
  availableAt,
  balanceAt,
  decodeWalletCommand,
  encodeWalletEvent,
} from '@burndown/wallet-domain';
import { WalletCommands } from '../wallet-commands.service';
import { WALLET_ID_PATTERN } from '../wallet-id.param';

type Reply =
  | {
      ok: true;
      walletId: string;
      revision: string | null;
      events: JsonValue[];
      balance: string;
      available: string;
      held: string;
    }
  | { ok: false; code: string; field: string | null; detail: string };

const refused = (code: string, field: string | null, detail: string): Reply => ({
  ok: false,
  code,
  field,
  detail,
});

/**
 * Every wallet command over request/reply (`requests.walletCommand`): how a service checks and
 * reserves credit before it spends compute. Refusals are answers, not errors, so callers can act.
 */
@Injectable()
export class WalletCommandResponder extends BusSubscription {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly wallets: WalletCommands,
  ) {
    super();
  }

  protected subscribe(): Promise<Subscription> {
    return this.bus.respond(requests.walletCommand, (payload) => this.execute(payload));
  }

  async execute(payload: JsonValue): Promise<Reply> {
    const { walletId, command: json } = (payload ?? {}) as {
      walletId?: unknown;
      command?: unknown;
    };
    if (typeof walletId !== 'string' || !WALLET_ID_PATTERN.test(walletId)) {
      return refused(
        'invalid-request',
        'walletId',
        'walletId must be 1–64 characters of A–Z, a–z, 0–9, _ or -',
      );
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return refused('invalid-request', 'command', 'command must be a JSON object with a type');
    }
    // Time-driven commands (expiries, allowance periods) compare `at` with the wallet's deadlines:
    // a caller that could pick it could expire grants and holds early. The server's clock decides.
    if ('at' in json)
      return refused(
        'invalid-request',
        'at',
        "a command's time is the server's clock; leave at out",
      );
    let command;
    try {
      command = decodeWalletCommand({ ...json, at: this.clock.now().toISOString() });
    } catch (error) {
      if (!(error instanceof UndecodableError)) throw error;
      return refused('invalid-request', error.field ?? null, error.message);
    }
    try {
      const { events, state, revision } = await this.wallets.execute(walletId, command, {
        correlationId: command.commandId,
      });
      if (state.status !== 'open')
        return refused('wallet-not-open', 'walletId', `wallet ${walletId} does not exist`);
      const now = this.clock.now();
      return {
        ok: true,
        walletId,
        revision: revision?.toString() ?? null,
        events: events.map((event) => encodeWalletEvent(event) as unknown as JsonValue),
        balance: balanceAt(state, now).toString(),
        available: availableAt(state, now).toString(),
        held: activeHoldsTotal(state).toString(),
      };
    } catch (error) {
      if (!(error instanceof WalletCommandRejected)) throw error;
      return refused(error.code, error.field ?? null, error.message);
    }
  }
}
