import { connect, type NatsConnection } from 'nats';
import { ReplyInbox, ReplyMissing } from './reply-inbox';

// Always runs: .ci/run installs and starts nats-server (Debian's 2.9) on this address.
const url = process.env['BURNDOWN_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe(`ReplyInbox (nats-server at ${url})`, () => {
  let connection: NatsConnection;
  beforeEach(async () => {
    connection = await connect({ servers: url, noAsyncTraces: true });
  });
  afterEach(async () => {
    await connection.close();
  });

  it('gives each of many requests in flight its own reply, whatever order the replies come in', async () => {
    const subject = `reply-inbox.echo.${process.pid}.${Date.now()}`;
    const held: Array<{ respond(data: Uint8Array): boolean; data: Uint8Array }> = [];
    connection.subscribe(subject, {
      callback: (_error, message) => {
        held.push(message);
        // Answer in reverse once all have arrived.
        if (held.length === 50) for (const request of held.reverse()) request.respond(request.data);
      },
    });
    await connection.flush();
    const inbox = new ReplyInbox(connection);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        inbox
          .request(subject, encoder.encode(`n${n}`), undefined, 2_000)
          .then((reply) => decoder.decode(reply.data)),
      ),
    );
    expect(replies).toEqual(Array.from({ length: 50 }, (_, n) => `n${n}`));
    inbox.close();
  });

  it('fails with no-responders when nobody listens, and with timeout when nobody answers in time', async () => {
    const inbox = new ReplyInbox(connection);
    await expect(
      inbox.request(`reply-inbox.nobody.${Date.now()}`, new Uint8Array(), undefined, 1_000),
    ).rejects.toEqual(new ReplyMissing('no-responders'));
    const silent = `reply-inbox.silent.${Date.now()}`;
    connection.subscribe(silent, { callback: () => undefined });
    await connection.flush();
    const started = Date.now();
    await expect(inbox.request(silent, new Uint8Array(), undefined, 60)).rejects.toEqual(
      new ReplyMissing('timeout'),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    await inbox.settled();
    inbox.close();
  });

  it('fails what still waits when closed, and everything asked after', async () => {
    const silent = `reply-inbox.closing.${Date.now()}`;
    connection.subscribe(silent, { callback: () => undefined });
    await connection.flush();
    const inbox = new ReplyInbox(connection);
    const waiting = inbox.request(silent, new Uint8Array(), undefined, 10_000);
    inbox.close();
    await expect(waiting).rejects.toEqual(new ReplyMissing('closed'));
    await expect(inbox.request(silent, new Uint8Array(), undefined, 10_000)).rejects.toEqual(
      new ReplyMissing('closed'),
    );
  });
});
