import type { WalletCommand } from '@burndown/wallet-domain';
import type { WalletCommands } from '../wallet-commands.service';

export const HISTORY_AT = new Date('2026-11-01T00:00:00Z');
export const GRANT_EXPIRES_AT = new Date('2026-12-01T00:00:00Z');
export const HOLD_EXPIRES_AT = new Date('2026-11-01T01:00:00Z');

/**
 * Two wallets with every kind of ledger line: `alpha` is granted 1,000 expiring in a month, debited
 * 100, holds 50 for an hour and settles 40 of it, then is deducted 10; `beta` is granted 500 with
 * no expiry and debited 20. Interleaved, as $all orders them when wallets are busy together.
 */
export async function writeWalletHistory(wallets: WalletCommands): Promise<void> {
  const at = HISTORY_AT;
  const run = (walletId: string, command: WalletCommand) =>
    wallets.execute(walletId, command, { correlationId: `c-${command.commandId}` });
  await run('alpha', {
    type: 'OpenWallet',
    commandId: 'open-alpha',
    at,
    walletId: 'alpha',
    customerId: 'cust-alpha',
    name: 'Alpha',
  });
  await run('alpha', {
    type: 'GrantCredits',
    commandId: 'g1',
    at,
    grantId: 'g1',
    kind: 'purchased',
    amount: 1_000n,
    expiresAt: GRANT_EXPIRES_AT,
  });
  await run('beta', {
    type: 'OpenWallet',
    commandId: 'open-beta',
    at,
    walletId: 'beta',
    customerId: 'cust-beta',
    name: 'Beta',
  });
  await run('alpha', {
    type: 'DebitUsage',
    commandId: 'u1',
    at,
    usageEventId: 'u1',
    feature: 'llm.tokens',
    amount: 100n,
  });
  await run('beta', {
    type: 'GrantCredits',
    commandId: 'g2',
    at,
    grantId: 'g2',
    kind: 'purchased',
    amount: 500n,
  });
  await run('alpha', {
    type: 'PlaceHold',
    commandId: 'h1',
    at,
    holdId: 'h1',
    amount: 50n,
    feature: 'llm.tokens',
    expiresAt: HOLD_EXPIRES_AT,
  });
  await run('beta', {
    type: 'DebitUsage',
    commandId: 'u2',
    at,
    usageEventId: 'u2',
    feature: 'llm.tokens',
    amount: 20n,
  });
  await run('alpha', { type: 'SettleHold', commandId: 's1', at, holdId: 'h1', amount: 40n });
  await run('alpha', {
    type: 'AdjustCredits',
    commandId: 'a1',
    at,
    adjustmentId: 'a1',
    amount: -10n,
    reason: 'goodwill reversed',
  });
}
