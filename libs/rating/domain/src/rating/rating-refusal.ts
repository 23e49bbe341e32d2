export type RatingRefusalCode =
  'no-rate-card' | 'no-meter' | 'no-rule' | 'bad-property' | 'unique-limit' | 'invalid-override';

/** Usage that cannot be rated: nothing is appended; the service dead-letters it with this reason. */
export class RatingRefused extends Error {
  override readonly name = 'RatingRefused';
  constructor(
    readonly code: RatingRefusalCode,
    message: string,
  ) {
    super(message);
  }
}
