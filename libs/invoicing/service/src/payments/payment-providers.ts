import type { Provider } from '@nestjs/common';
import { BURNDOWN_CONFIG, type BurndownConfig } from '@burndown/runtime';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider';
import { StripePayments } from './stripe-payments';

/** Stripe when its secret key is configured; otherwise none (invoices are paid by hand). */
export const paymentProvider: Provider = {
  provide: PAYMENT_PROVIDER,
  inject: [BURNDOWN_CONFIG],
  useFactory: (
    config: Pick<BurndownConfig, 'stripeSecretKey' | 'stripeApiUrl'>,
  ): PaymentProvider | null =>
    config.stripeSecretKey === undefined
      ? null
      : new StripePayments(config.stripeSecretKey, config.stripeApiUrl),
};
