import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { asUsageEvent, passesFastCheck } from './usage-event-fast-check';
import { UsageEventDto } from './usage-event.dto';

const refusedByClassValidator = async (item: object): Promise<boolean> =>
  (
    await validate(plainToInstance(UsageEventDto, item), {
      whitelist: true,
      forbidNonWhitelisted: true,
    })
  ).length > 0;

const VALID = {
  id: 'evt-0001',
  customerId: 'acme',
  type: 'llm.tokens',
  quantity: '1500',
  timestamp: '2026-11-22T10:00:00Z',
  properties: { model: 'gpt-4o', tier: 2, cached: false },
  providerCostMicros: '1250000',
};

/** Values each field is tried with: valid, near misses, wrong types. */
const CANDIDATES: Record<string, readonly unknown[]> = {
  id: ['e', 'x'.repeat(128), 'x'.repeat(129), '', 'has space', 'é', 42, null, undefined],
  customerId: ['c-1_A', 'x'.repeat(64), 'x'.repeat(65), 'a.b', '', 7, null, undefined],
  type: ['a', '9x', '.a', '-a', 'a'.repeat(128), 'a'.repeat(129), 'a b', [], undefined],
  quantity: [
    '0',
    '0.25',
    '01',
    '1e3',
    '-1',
    '',
    0,
    12,
    -1,
    1.5,
    9007199254740991,
    9007199254740992,
    null,
    undefined,
  ],
  timestamp: [
    '2026-11-22',
    '2026-11-22T10:00:00.123+02:00',
    '2026-02-30T10:00:00Z',
    'yesterday',
    '',
    0,
    null,
    undefined,
  ],
  properties: [
    {},
    { a: 1 },
    { a: { b: 1 } },
    { a: null },
    [],
    'x',
    Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])),
    null,
    undefined,
  ],
  providerCostMicros: ['0', '1', '01', '1.5', '-1', 1, '', null, undefined],
};

describe('the fast check on usage events', () => {
  it('passes a complete valid event and a minimal one, as class-validator does', async () => {
    const minimal = { id: 'e', customerId: 'c', type: 't', quantity: 1 };
    for (const event of [VALID, minimal]) {
      expect(passesFastCheck(event)).toBe(true);
      expect(await refusedByClassValidator(event)).toBe(false);
    }
  });

  it('never passes an event class-validator refuses, one field changed at a time', async () => {
    let tried = 0;
    let passed = 0;
    for (const [field, values] of Object.entries(CANDIDATES)) {
      for (const value of values) {
        const event: Record<string, unknown> = { ...VALID };
        if (value === undefined) delete event[field];
        else event[field] = value;
        tried++;
        if (!passesFastCheck(event)) continue;
        passed++;
        expect({ field, value, refused: await refusedByClassValidator(event) }).toEqual({
          field,
          value,
          refused: false,
        });
      }
    }
    // Enough of both kinds that the comparison means something.
    expect(passed).toBeGreaterThan(15);
    expect(tried - passed).toBeGreaterThan(30);
  });

  it('sends unknown fields and prototype keys to class-validator', () => {
    expect(passesFastCheck({ ...VALID, extra: 1 })).toBe(false);
    expect(
      passesFastCheck(
        JSON.parse(
          '{"id":"e","customerId":"c","type":"t","quantity":1,"__proto__":{"x":1}}',
        ) as object,
      ),
    ).toBe(false);
  });

  it('makes the DTO instance plainToInstance would', () => {
    const event = asUsageEvent(VALID);
    expect(event).toBeInstanceOf(UsageEventDto);
    expect({ ...event }).toEqual({ ...plainToInstance(UsageEventDto, VALID) });
  });
});
