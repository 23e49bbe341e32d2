import fc from 'fast-check';
import {
  canonicalJson,
  chainLinks,
  eventHash,
  GENESIS_HASH,
  verifyChain,
  type ChainedEvent,
} from './hash-chain';

const STREAM = 'wallet-w';

const eventBody = fc.record({
  type: fc.constantFrom('CreditsGranted', 'UsageDebited', 'GrantExpired'),
  data: fc.record({
    amount: fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String),
    id: fc.string({ maxLength: 12 }),
  }),
});

function chained(bodies: readonly { type: string; data: unknown }[]): ChainedEvent[] {
  const links = chainLinks(STREAM, GENESIS_HASH, 0n, bodies);
  return bodies.map((body, index) => ({
    revision: BigInt(index),
    ...body,
    metadata: { ...links[index], correlationId: 'x' },
  }));
}

/** The canonical JSON of earlier versions, written for clarity: stored chains were hashed with it. */
function earlierCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(earlierCanonicalJson).join(',')}]`;
  const record = value as Readonly<Record<string, unknown>>;
  const fields = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${earlierCanonicalJson(record[key])}`);
  return `{${fields.join(',')}}`;
}

describe('canonical JSON', () => {
  it('writes any JSON value as earlier versions did, keys sorted (integer-like ones too)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) =>
        expect(canonicalJson(value)).toBe(earlierCanonicalJson(value)),
      ),
    );
    expect(canonicalJson({ b: 1, '10': 2, a: [{ z: null, '': 'x' }], u: undefined })).toBe(
      '{"10":2,"a":[{"":"x","z":null}],"b":1}',
    );
  });

  it('hashes an event as every earlier version did (stored chains keep verifying)', () => {
    const data = {
      usageEventId: 'evt-1',
      credits: '1000000',
      draws: [{ grantId: 'g-1', credits: '1000000' }],
      note: undefined,
      properties: { region: 'eu', model: 'gpt-4o' },
    };
    expect(eventHash(GENESIS_HASH, 'wallet-acme', 7n, 'UsageDebited', data)).toBe(
      'eef771d8dd7d9adfbd34d1d0ae1d7e24f9dad4dd22f5aab9be3b2859119226e4',
    );
  });
});

describe('wallet hash chain', () => {
  it('verifies a stream as written, in any split into appends', () => {
    fc.assert(
      fc.property(fc.array(eventBody, { minLength: 1, maxLength: 30 }), fc.nat(), (bodies, cut) => {
        const split = cut % bodies.length;
        const first = chainLinks(STREAM, GENESIS_HASH, 0n, bodies.slice(0, split));
        const head = first.at(-1)?.hash ?? GENESIS_HASH;
        const second = chainLinks(STREAM, head, BigInt(split), bodies.slice(split));
        const events = bodies.map((body, index) => ({
          revision: BigInt(index),
          ...body,
          metadata: { ...(index < split ? first[index] : second[index - split]) },
        }));
        const verdict = verifyChain(STREAM, events);
        expect(verdict).toEqual({
          ok: true,
          headHash: events.at(-1)?.metadata['hash'],
          events: bodies.length,
        });
      }),
    );
  });

  it('fails after any single-event tamper: edit, removal or swap', () => {
    fc.assert(
      fc.property(
        fc.array(eventBody, { minLength: 2, maxLength: 20 }),
        fc.nat(),
        fc.constantFrom('edit-data', 'edit-type', 'remove', 'swap', 'forge-hash'),
        (bodies, pick, tamper) => {
          const events = chained(bodies);
          const at = pick % (events.length - 1);
          const target = events[at] as ChainedEvent;
          const tampered = [...events];
          switch (tamper) {
            case 'edit-data':
              tampered[at] = {
                ...target,
                data: {
                  ...(target.data as object),
                  amount: `${(target.data as { amount: string }).amount}1`,
                },
              };
              break;
            case 'edit-type':
              tampered[at] = { ...target, type: `${target.type}X` };
              break;
            case 'remove':
              tampered.splice(at, 1);
              break;
            case 'swap':
              tampered[at] = { ...(events[at + 1] as ChainedEvent), revision: target.revision };
              tampered[at + 1] = { ...target, revision: target.revision + 1n };
              break;
            case 'forge-hash': {
              // Recomputing the tampered event's own hash still breaks its successor's link.
              const edited = { ...target, data: { forged: true } };
              const [link] = chainLinks(
                STREAM,
                String(target.metadata['previousHash']),
                target.revision,
                [edited],
              );
              tampered[at] = { ...edited, metadata: { ...link } };
              break;
            }
          }
          const verdict = verifyChain(STREAM, tampered);
          expect(verdict.ok).toBe(false);
        },
      ),
    );
  });

  it('names the first broken revision', () => {
    const events = chained([
      { type: 'A', data: { n: 1 } },
      { type: 'B', data: { n: 2 } },
      { type: 'C', data: { n: 3 } },
    ]);
    const edited = events.map((event, index) =>
      index === 1 ? { ...event, data: { n: 99 } } : event,
    );
    expect(verifyChain(STREAM, edited)).toEqual({
      ok: false,
      revision: 1n,
      reason: 'hash does not match the event',
    });
  });
});
