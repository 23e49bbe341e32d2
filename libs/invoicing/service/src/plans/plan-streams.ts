/** One stream per plan (its versions) and one per subscription (start, changes, cancellation). */
export const planStream = (planId: string): string => `plan-${planId}`;
export const SUBSCRIPTION_STREAM_PREFIX = 'subscription-';
export const subscriptionStream = (subscriptionId: string): string =>
  `${SUBSCRIPTION_STREAM_PREFIX}${subscriptionId}`;
