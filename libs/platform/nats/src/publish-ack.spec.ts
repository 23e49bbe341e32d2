import { PublishRefusedError, readPublishAck } from './publish-ack';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('readPublishAck', () => {
  it('reads the stream, the sequence as a bigint, and whether the id was a duplicate', () => {
    expect(readPublishAck('s', bytes({ stream: 'USAGE', seq: 9_007_199_254_740_991 }))).toEqual({
      stream: 'USAGE',
      sequence: 9_007_199_254_740_991n,
      duplicate: false,
    });
    expect(readPublishAck('s', bytes({ stream: 'USAGE', seq: 4, duplicate: true })).duplicate).toBe(
      true,
    );
  });

  it('turns a JetStream refusal into PublishRefusedError with its code and words', () => {
    const refusal = bytes({
      error: { code: 400, err_code: 10071, description: 'wrong last sequence: 3' },
    });
    expect(() => readPublishAck('usage.x', refusal)).toThrow(PublishRefusedError);
    expect(() => readPublishAck('usage.x', refusal)).toThrow('usage.x: wrong last sequence: 3');
  });

  it('refuses an answer that is not an acknowledgement', () => {
    expect(() => readPublishAck('s', bytes({ stream: '', seq: 1 }))).toThrow(
      'not a publish acknowledgement',
    );
    expect(() => readPublishAck('s', bytes({ hello: true }))).toThrow(PublishRefusedError);
  });
});
