/** One stream per plan (its versions) and one per subscription (start, changes, cancellation). */
export const planStream = (planId: string): string => `plan-${planId}`;
export const subscriptionStream = (subscriptionId: string): string =>
  `subscription-${subscriptionId}`;
