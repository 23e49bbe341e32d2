import { planDefinitionJson, readPlanDefinition } from './plan-definition';
import type { PlanEvent } from './plan-lifecycle';
import type { SubscriptionEvent } from './subscription';

type Json = Readonly<Record<string, unknown>>;

const time = (data: Json, field: string): Date => {
  const value = data[field];
  const parsed = typeof value === 'string' ? new Date(value) : undefined;
  if (parsed === undefined || Number.isNaN(parsed.getTime()))
    throw new Error(`stored event: ${field} is not a time`);
  return parsed;
};

const text = (data: Json, field: string): string => {
  const value = data[field];
  if (typeof value !== 'string') throw new Error(`stored event: ${field} is not a string`);
  return value;
};

const count = (data: Json, field: string): number => {
  const value = data[field];
  if (!Number.isSafeInteger(value)) throw new Error(`stored event: ${field} is not an integer`);
  return value as number;
};

export const planEventCodec = {
  encode(event: PlanEvent): { type: string; data: Json } {
    const { commandId, at, version, effectiveFrom, definition } = event.data;
    return {
      type: event.type,
      data: {
        commandId,
        at: at.toISOString(),
        version,
        effectiveFrom: effectiveFrom.toISOString(),
        definition: planDefinitionJson(definition),
      },
    };
  },
  decode(type: string, data: Json): PlanEvent {
    if (type !== 'PlanVersionPublished') throw new Error(`unknown plan event type ${type}`);
    return {
      type,
      data: {
        commandId: text(data, 'commandId'),
        at: time(data, 'at'),
        version: count(data, 'version'),
        effectiveFrom: time(data, 'effectiveFrom'),
        definition: readPlanDefinition(data['definition']),
      },
    };
  },
} as const;

export const subscriptionEventCodec = {
  encode(event: SubscriptionEvent): { type: string; data: Json } {
    const data: Record<string, unknown> = { ...event.data };
    for (const [field, value] of Object.entries(data))
      if (value instanceof Date) data[field] = value.toISOString();
    return { type: event.type, data };
  },
  decode(type: string, data: Json): SubscriptionEvent {
    const base = { commandId: text(data, 'commandId'), at: time(data, 'at') };
    switch (type) {
      case 'SubscriptionStarted': {
        const interval = text(data, 'interval');
        if (interval !== 'month' && interval !== 'year')
          throw new Error(`stored event: interval ${interval}`);
        return {
          type,
          data: {
            ...base,
            customerId: text(data, 'customerId'),
            planId: text(data, 'planId'),
            planVersion: count(data, 'planVersion'),
            interval,
            anchor: time(data, 'anchor'),
          },
        };
      }
      case 'SubscriptionPlanChanged':
        return {
          type,
          data: {
            ...base,
            planId: text(data, 'planId'),
            planVersion: count(data, 'planVersion'),
            effectiveAt: time(data, 'effectiveAt'),
          },
        };
      case 'SubscriptionCanceled':
        return { type, data: { ...base, effectiveAt: time(data, 'effectiveAt') } };
      default:
        throw new Error(`unknown subscription event type ${type}`);
    }
  },
} as const;
