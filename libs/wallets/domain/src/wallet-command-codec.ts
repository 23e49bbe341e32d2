import { isGrantKind } from './grant-kind';
import { decodeShape, encodeShape, UndecodableError, type Json, type Shape } from './json-shape';
import type { WalletCommand, WalletCommandType } from './wallet-commands';
import { costBasisShape, rolloverShape, walletPolicyShape } from './wallet-event-codec';

const common = { commandId: 'string', at: 'time' } as const;
const optional = (shape: Shape): Shape => ({ nullable: shape });

/** JSON shape of every command, for callers on the bus; optional fields may be null or absent. */
const commandShapes: { readonly [Type in WalletCommandType]: { readonly [field: string]: Shape } } =
  {
    OpenWallet: { ...common, walletId: 'string', customerId: 'string', name: 'string' },
    ChangeWalletPolicy: { ...common, policy: walletPolicyShape },
    SetBudget: { ...common, budgetId: 'string', cap: 'amount' },
    GrantCredits: {
      ...common,
      grantId: 'string',
      kind: 'string',
      amount: 'amount',
      costBasis: optional(costBasisShape),
      priority: optional('integer'),
      effectiveAt: optional('time'),
      expiresAt: optional('time'),
      scope: optional({ array: 'string' }),
      source: optional('string'),
    },
    DebitUsage: {
      ...common,
      usageEventId: 'string',
      feature: 'string',
      amount: 'amount',
      budgetId: optional('string'),
      occurredAt: optional('time'),
    },
    AdjustCredits: { ...common, adjustmentId: 'string', amount: 'signedAmount', reason: 'string' },
    SettleOverage: {
      ...common,
      settlementId: 'string',
      amount: 'amount',
      outcome: 'string',
      reference: 'string',
    },
    RefundCredits: {
      ...common,
      refundId: 'string',
      amount: 'amount',
      reason: 'string',
      costBasis: optional(costBasisShape),
      source: optional('string'),
    },
    RefundPurchase: {
      ...common,
      refundId: 'string',
      grantId: 'string',
      amount: 'amount',
      reason: 'string',
    },
    PlaceHold: {
      ...common,
      holdId: 'string',
      amount: 'amount',
      feature: 'string',
      expiresAt: 'time',
      budgetId: optional('string'),
    },
    SettleHold: { ...common, holdId: 'string', amount: 'amount' },
    ReleaseHold: { ...common, holdId: 'string' },
    ExpireHold: { ...common, holdId: 'string' },
    ExpireGrant: { ...common, grantId: 'string' },
    StartAllowancePeriod: {
      ...common,
      periodId: 'string',
      amount: 'amount',
      periodEnd: 'time',
      costBasis: optional(costBasisShape),
      rollover: optional(rolloverShape),
    },
  };

export class UndecodableWalletCommandError extends UndecodableError {
  override readonly name = 'UndecodableWalletCommandError';
}

export function encodeWalletCommand(command: WalletCommand): { readonly [key: string]: Json } {
  return {
    type: command.type,
    ...(encodeShape(command, { object: commandShapes[command.type] }) as {
      readonly [key: string]: Json;
    }),
  };
}

/** Reads a command from JSON; the error's `field` names the first value at fault. */
export function decodeWalletCommand(json: unknown): WalletCommand {
  const type = (json as { type?: unknown } | null)?.type;
  const shape =
    typeof type === 'string'
      ? (commandShapes as Readonly<Record<string, { readonly [field: string]: Shape }>>)[type]
      : undefined;
  if (shape === undefined) {
    throw new UndecodableWalletCommandError(
      `type: expected one of ${Object.keys(commandShapes).join(', ')}`,
      { field: 'type' },
    );
  }
  let decoded: Record<string, unknown>;
  try {
    decoded = decodeShape(json, { object: shape }, 'command') as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof UndecodableError)) throw error;
    throw new UndecodableWalletCommandError(error.message, {
      cause: error,
      field: error.field?.replace(/^command\./, ''),
    });
  }
  if (type === 'GrantCredits' && !isGrantKind(decoded['kind'])) {
    throw new UndecodableWalletCommandError(`kind: unknown grant kind ${String(decoded['kind'])}`, {
      field: 'kind',
    });
  }
  // An absent optional field decodes as null; the decider reads null and undefined alike (`??`).
  for (const [field, value] of Object.entries(decoded)) if (value === null) delete decoded[field];
  return { ...decoded, type } as unknown as WalletCommand;
}
