import { NoResponderError, RemoteRequestError, RequestTimeoutError } from '@burndown/ports';
import type { BusAccess } from './message-bus-fixtures';
import { uniqueName } from './store-contract-support';

/** Core request/reply: answers, refusals, timeouts and absent responders. */
export function describeRequestReplyContract(bus: BusAccess): void {
  describe('request/reply', () => {
    it('returns the responder’s answer, with the request’s payload and headers', async () => {
      const subject = uniqueName('ask');
      const responder = await bus().respond(subject, async (payload, headers) => ({
        echoed: payload,
        tenant: headers['tenant'] ?? null,
      }));
      try {
        const reply = await bus().request(
          subject,
          { q: 'ping' },
          { timeoutMs: 2_000, headers: { tenant: 't1' } },
        );
        expect(reply).toEqual({ echoed: { q: 'ping' }, tenant: 't1' });
      } finally {
        await responder.stop();
      }
    });

    it('fails with NoResponderError when nobody answers the subject, also after a responder stops', async () => {
      const subject = uniqueName('nobody');
      await expect(bus().request(subject, {}, { timeoutMs: 1_000 })).rejects.toBeInstanceOf(
        NoResponderError,
      );
      const responder = await bus().respond(subject, async () => 'here');
      await responder.stop();
      await expect(bus().request(subject, {}, { timeoutMs: 1_000 })).rejects.toBeInstanceOf(
        NoResponderError,
      );
    });

    it('fails with RequestTimeoutError when the responder is too slow', async () => {
      const subject = uniqueName('slow');
      const responder = await bus().respond(
        subject,
        () => new Promise((resolve) => setTimeout(() => resolve('late'), 500)),
      );
      try {
        await expect(bus().request(subject, {}, { timeoutMs: 50 })).rejects.toBeInstanceOf(
          RequestTimeoutError,
        );
      } finally {
        await responder.stop();
      }
    });

    it('carries a responder’s error back as RemoteRequestError with its message', async () => {
      const subject = uniqueName('refuse');
      const responder = await bus().respond(subject, async () => {
        throw new Error('customer store unavailable');
      });
      try {
        const failure = bus().request(subject, {}, { timeoutMs: 1_000 });
        await expect(failure).rejects.toBeInstanceOf(RemoteRequestError);
        await expect(failure).rejects.toThrow('customer store unavailable');
      } finally {
        await responder.stop();
      }
    });
  });
}
