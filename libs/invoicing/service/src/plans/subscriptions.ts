import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@burndown/ports';
import { StreamWriter, foldRecorded } from '@burndown/runtime';
import {
  subscriptionDecider,
  subscriptionEventCodec,
  type SubscriptionCommand,
  type SubscriptionEvent,
  type SubscriptionState,
} from '@burndown/invoicing-domain';
import { subscriptionStream } from './plan-streams';

/** Subscriptions, decided and read on each subscription's stream. */
@Injectable()
export class Subscriptions {
  private readonly subscriptions: StreamWriter<
    SubscriptionCommand,
    SubscriptionEvent,
    SubscriptionState
  >;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.subscriptions = new StreamWriter(store, subscriptionDecider, subscriptionEventCodec, {
      cacheSize: 1_000,
    });
  }

  async execute(subscriptionId: string, command: SubscriptionCommand): Promise<SubscriptionState> {
    const { state } = await this.subscriptions.execute(
      subscriptionStream(subscriptionId),
      command,
      {
        correlationId: command.commandId,
      },
    );
    return state;
  }

  async get(subscriptionId: string): Promise<SubscriptionState> {
    return foldRecorded(
      await this.store.readStream(subscriptionStream(subscriptionId)),
      subscriptionDecider,
      subscriptionEventCodec,
    );
  }
}
