import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@burndown/ports';
import { StreamWriter, foldRecorded } from '@burndown/runtime';
import {
  planDecider,
  planEventCodec,
  planVersionAt,
  type PlanCommand,
  type PlanEvent,
  type PlanHistory,
  type PlanVersion,
} from '@burndown/invoicing-domain';
import { planStream } from './plan-streams';

/** Plan versions, decided and read on each plan's stream. */
@Injectable()
export class PlanCatalogue {
  /** Plans change rarely: nothing cached, every command decides on the stream as stored. */
  private readonly plans: StreamWriter<PlanCommand, PlanEvent, PlanHistory>;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.plans = new StreamWriter(store, planDecider, planEventCodec, { cacheSize: 0 });
  }

  async publish(planId: string, command: PlanCommand): Promise<PlanHistory> {
    const { state } = await this.plans.execute(planStream(planId), command, {
      correlationId: command.commandId,
    });
    return state;
  }

  async history(planId: string): Promise<PlanHistory> {
    return foldRecorded(
      await this.store.readStream(planStream(planId)),
      planDecider,
      planEventCodec,
    );
  }

  /** The version a new subscription gets at `at`. */
  async versionAt(planId: string, at: Date): Promise<PlanVersion | undefined> {
    return planVersionAt(await this.history(planId), at);
  }
}
