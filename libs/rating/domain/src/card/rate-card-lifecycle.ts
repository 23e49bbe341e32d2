import { CommandLog, inBatch } from '@burndown/decider-kit';
import { readRateCard } from './read-rate-card';

type Json = Readonly<Record<string, unknown>>;

export type RateCardCommand =
  | {
      readonly type: 'SaveRateCardDraft';
      readonly commandId: string;
      readonly at: Date;
      readonly cardId: string;
      readonly definition: Json;
    }
  | {
      readonly type: 'PublishRateCard';
      readonly commandId: string;
      readonly at: Date;
      readonly effectiveFrom: Date | null;
    };

export type RateCardEvent =
  | {
      readonly type: 'RateCardDraftSaved';
      readonly data: { readonly commandId: string; readonly at: Date; readonly definition: Json };
    }
  | {
      readonly type: 'RateCardPublished';
      readonly data: {
        readonly commandId: string;
        readonly at: Date;
        readonly version: number;
        readonly effectiveFrom: Date;
        readonly definition: Json;
      };
    };

export interface PublishedDefinition {
  readonly version: number;
  readonly effectiveFrom: Date;
  readonly publishedAt: Date;
  readonly definition: Json;
}

export interface RateCardHistory {
  readonly draft: Json | null;
  readonly versions: readonly PublishedDefinition[];
  readonly handled: CommandLog;
}

export class RateCardRefused extends Error {
  override readonly name = 'RateCardRefused';
  constructor(
    readonly code: 'no-draft' | 'card-id-mismatch',
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const HORIZON_MS = 35 * 86_400_000;

export const initialRateCardHistory = (): RateCardHistory => ({
  draft: null,
  versions: [],
  handled: CommandLog.empty(),
});

/** Draft, then publish (now or scheduled): a published version never changes; a new one supersedes it from its date. */
export function decideRateCard(
  command: RateCardCommand,
  state: RateCardHistory,
): readonly RateCardEvent[] {
  if (state.handled.has(command.commandId)) return [];
  const { commandId, at } = command;
  if (command.type === 'SaveRateCardDraft') {
    if (command.definition['cardId'] !== command.cardId) {
      throw new RateCardRefused(
        'card-id-mismatch',
        `the card's cardId must be ${command.cardId}, the id in the path`,
        'cardId',
      );
    }
    readRateCard(command.definition);
    return [
      { type: 'RateCardDraftSaved', data: { commandId, at, definition: command.definition } },
    ];
  }
  if (state.draft === null)
    throw new RateCardRefused('no-draft', 'there is no draft to publish: save one first', 'draft');
  const version = (state.versions.at(-1)?.version ?? 0) + 1;
  return [
    {
      type: 'RateCardPublished',
      data: {
        commandId,
        at,
        version,
        effectiveFrom: command.effectiveFrom ?? at,
        definition: state.draft,
      },
    },
  ];
}

export function evolveRateCard(state: RateCardHistory, event: RateCardEvent): RateCardHistory {
  const handled = state.handled.record(event.data.commandId, event.data.at.getTime(), HORIZON_MS);
  if (event.type === 'RateCardDraftSaved')
    return { ...state, handled, draft: event.data.definition };
  const { version, effectiveFrom, definition, at } = event.data;
  // Publishing takes the draft: the next change starts a new draft.
  return {
    handled,
    draft: null,
    versions: [...state.versions, { version, effectiveFrom, publishedAt: at, definition }],
  };
}

export const rateCardDecider = {
  decide: decideRateCard,
  evolve: evolveRateCard,
  initialState: initialRateCardHistory,
  batch: inBatch,
} as const;

export const rateCardEventCodec = {
  encode(event: RateCardEvent): { type: string; data: Json } {
    const { at, ...rest } = event.data;
    return {
      type: event.type,
      data: {
        ...rest,
        at: at.toISOString(),
        ...(event.type === 'RateCardPublished'
          ? { effectiveFrom: event.data.effectiveFrom.toISOString() }
          : {}),
      },
    };
  },
  decode(type: string, data: Json): RateCardEvent {
    const at = new Date(String(data['at']));
    const commandId = String(data['commandId']);
    const definition = data['definition'] as Json;
    if (type === 'RateCardDraftSaved') return { type, data: { commandId, at, definition } };
    if (type === 'RateCardPublished') {
      return {
        type,
        data: {
          commandId,
          at,
          definition,
          version: Number(data['version']),
          effectiveFrom: new Date(String(data['effectiveFrom'])),
        },
      };
    }
    throw new Error(`unknown rate card event type ${type}`);
  },
} as const;
