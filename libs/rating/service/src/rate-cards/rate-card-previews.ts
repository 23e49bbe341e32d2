import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@burndown/ports';
import {
  CompiledCard,
  previewCustomer,
  readRateCard,
  type CustomerPreview,
  type RecordedRating,
} from '@burndown/rating-domain';
import { ratedUsageDocuments, recordedRatingOf } from '../rated-usage';
import { RatingStreams } from '../rating-streams.service';
import { inWindow, type TimeWindowDto } from '../time-window.dto';

/** A draft card against the usage its published versions rated in a window, per customer. */
@Injectable()
export class RateCardPreviews {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly streams: RatingStreams,
  ) {}

  async preview(
    cardId: string,
    draftDefinition: Readonly<Record<string, unknown>>,
    window: TimeWindowDto,
  ): Promise<CustomerPreview[]> {
    const draft = new CompiledCard(readRateCard(draftDefinition), 0);
    const within = inWindow(window);
    const byCustomer = new Map<string, RecordedRating[]>();
    for await (const rated of ratedUsageDocuments(this.readStore, { cardId })) {
      if (!within(rated.occurredAt)) continue;
      let recorded = byCustomer.get(rated.customerId);
      if (recorded === undefined) byCustomer.set(rated.customerId, (recorded = []));
      recorded.push(recordedRatingOf(rated));
    }
    const customers: CustomerPreview[] = [];
    for (const [customerId, recorded] of byCustomer) {
      // With the customer's own override, as their usage would be rated.
      const { override } = await this.streams.load(customerId);
      customers.push(previewCustomer(customerId, recorded, draft, override));
    }
    return customers;
  }
}
