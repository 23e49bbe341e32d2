import type { Properties } from '../card/compiled-card';
import type { RatedLine, RatingEvent } from './rating-events';

type Json = Readonly<Record<string, unknown>>;

const encodeLine = (line: RatedLine): Json => ({
  ...line,
  credits: line.credits.toString(),
  counter:
    line.counter === null ? null : { ...line.counter, billed: line.counter.billed.toString() },
});

const decodeLine = (json: Json): RatedLine => {
  const counter = json['counter'] as Json | null;
  return {
    meterId: String(json['meterId']),
    ruleId: String(json['ruleId']),
    quantity: String(json['quantity']),
    credits: BigInt(String(json['credits'])),
    counter:
      counter === null
        ? null
        : {
            periodKey: String(counter['periodKey']),
            aggregate: String(counter['aggregate']),
            billed: BigInt(String(counter['billed'])),
            uniqueValue: counter['uniqueValue'] === null ? null : String(counter['uniqueValue']),
          },
  };
};

/** JSON form of rating events: micro-credits and micros as decimal strings, times as ISO-8601. */
export const ratingEventCodec = {
  encode(event: RatingEvent): { type: string; data: Json } {
    const at = event.data.at.toISOString();
    switch (event.type) {
      case 'RateCardAssigned':
      case 'RateOverrideSet':
        return { type: event.type, data: { ...event.data, at } };
      case 'UsageRated': {
        const { data } = event;
        return {
          type: event.type,
          data: {
            ...data,
            at,
            occurredAt: data.occurredAt.toISOString(),
            lines: data.lines.map(encodeLine),
            credits: data.credits.toString(),
            revenueMicros: data.revenueMicros.toString(),
            costMicros: data.costMicros === null ? null : data.costMicros.toString(),
          },
        };
      }
    }
  },
  decode(type: string, data: Json): RatingEvent {
    const common = { commandId: String(data['commandId']), at: new Date(String(data['at'])) };
    switch (type) {
      case 'RateCardAssigned':
        return { type, data: { ...common, cardId: String(data['cardId']) } };
      case 'RateOverrideSet':
        return { type, data: { ...common, rules: data['rules'] as Json[] } };
      case 'UsageRated':
        return {
          type,
          data: {
            ...common,
            usageEventId: String(data['usageEventId']),
            usageType: String(data['usageType']),
            occurredAt: new Date(String(data['occurredAt'])),
            quantity: String(data['quantity']),
            properties: data['properties'] as Properties,
            cardId: String(data['cardId']),
            cardVersion: Number(data['cardVersion']),
            lines: (data['lines'] as Json[]).map(decodeLine),
            credits: BigInt(String(data['credits'])),
            currency: String(data['currency']),
            revenueMicros: BigInt(String(data['revenueMicros'])),
            costMicros: data['costMicros'] === null ? null : BigInt(String(data['costMicros'])),
          },
        };
      default:
        throw new Error(`unknown rating event type ${type}`);
    }
  },
} as const;
