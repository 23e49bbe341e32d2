import { streamConfigs, subjectMatches, type MessageBus } from '@burndown/ports';

const PAGE = 1_000;

/**
 * Every stream exists before any service publishes or consumes; ensureStream is idempotent. The
 * one that makes WALLET_BALANCES also copies the `balance-changed` summaries that WALLET_EVENTS
 * captured before they had a stream of their own (message ids kept, so a copy is stored once),
 * for the balance view's consumer to find there (it keeps the highest revision of each wallet,
 * so the copies may arrive among newer summaries). Once, when the stream is made: a whole read of
 * WALLET_EVENTS, unfiltered, since a JetStream consumer may not filter on a subject its stream
 * no longer captures.
 */
export async function ensureBusTopology(bus: MessageBus, duplicateWindowMs: number): Promise<void> {
  const streams = streamConfigs({ duplicateWindowMs });
  for (const stream of Object.values(streams)) {
    const { created } = await bus.ensureStream(stream);
    if (created && stream === streams.walletBalances)
      await copyMessages(bus, streams.walletEvents.name, streams.walletBalances.subjects);
  }
}

async function copyMessages(
  bus: MessageBus,
  from: string,
  patterns: readonly string[],
): Promise<void> {
  let afterSequence: bigint | undefined;
  for (;;) {
    const page = await bus.browse(from, {
      limit: PAGE,
      ...(afterSequence === undefined ? {} : { afterSequence }),
    });
    for (const message of page.filter(({ subject }) =>
      patterns.some((pattern) => subjectMatches(pattern, subject)),
    ))
      await bus.publish(message.subject, message.payload, {
        msgId: message.msgId,
        headers: message.headers,
      });
    if (page.length < PAGE) return;
    afterSequence = page[page.length - 1]?.sequence;
  }
}
