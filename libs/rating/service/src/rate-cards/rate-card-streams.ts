export const RATE_CARD_STREAM_PREFIX = 'ratecard-';
export const RATING_STREAM_PREFIX = 'rating-';

export const rateCardStream = (cardId: string): string => `${RATE_CARD_STREAM_PREFIX}${cardId}`;
/** One rating stream per customer: its card, overrides, period counters and rated usage. */
export const ratingStream = (customerId: string): string => `${RATING_STREAM_PREFIX}${customerId}`;
export const customerOfRatingStream = (streamName: string): string =>
  streamName.slice(RATING_STREAM_PREFIX.length);
