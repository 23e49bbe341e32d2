/** The invoice of a subscription's period: named after both, so billing it again finds it. */
export const periodInvoiceId = (subscriptionId: string, period: number): string =>
  `${subscriptionId}.p${period}`;
