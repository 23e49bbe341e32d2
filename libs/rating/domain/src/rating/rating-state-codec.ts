import { CommandLog } from '@burndown/decider-kit';
import { overrideOf } from '../card/override';
import { formatRatio, parseRatio } from '../pricing/ratio';
import type { Counter, RatingState } from './rating-state';

type Json = Readonly<Record<string, unknown>>;

/** A snapshot of another version is ignored and the stream replayed. */
export const RATING_SNAPSHOT_VERSION = 1;

/** JSON form of a customer's rating state, for snapshots. */
export function encodeRatingState(state: RatingState): Json {
  const entries = state.rated.entries();
  return {
    cardId: state.cardId,
    override: state.override === null ? null : state.override.json,
    counters: [...state.counters].map(([key, counter]) => ({
      key,
      periodKey: counter.periodKey,
      aggregate: formatRatio(counter.aggregate),
      billed: counter.billed.toString(),
      uniques: counter.uniques === null ? null : [...counter.uniques],
    })),
    ratedIds: entries.map(([id]) => id),
    ratedTimesMs: entries.map(([, atMs]) => atMs),
  };
}

export function decodeRatingState(json: Json): RatingState {
  const override = json['override'] as Json[] | null;
  const ids = json['ratedIds'] as string[];
  const times = json['ratedTimesMs'] as number[];
  if (!Array.isArray(ids) || !Array.isArray(times) || ids.length !== times.length)
    throw new Error('rating snapshot: rated ids and times differ');
  return {
    cardId: (json['cardId'] as string | null) ?? null,
    override: override === null ? null : overrideOf(override),
    counters: new Map(
      (json['counters'] as Json[]).map((counter): [string, Counter] => [
        String(counter['key']),
        {
          periodKey: String(counter['periodKey']),
          aggregate: parseRatio(String(counter['aggregate'])),
          billed: BigInt(String(counter['billed'])),
          uniques: counter['uniques'] === null ? null : new Set(counter['uniques'] as string[]),
        },
      ]),
    ),
    rated: CommandLog.restore(ids.map((id, index) => [id, times[index] as number] as const)),
  };
}

export const ratingStateCodec = {
  version: RATING_SNAPSHOT_VERSION,
  encode: encodeRatingState,
  decode: decodeRatingState,
  weight: (state: RatingState) => state.rated.weight,
} as const;
