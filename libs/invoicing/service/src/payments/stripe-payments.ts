import Stripe from 'stripe';
import {
  PaymentRequestRefused,
  type PaymentCollection,
  type PaymentProvider,
  type PaymentStatus,
} from './payment-provider';

/** Stripe answers these the same way however often they are sent: a retry cannot help. */
const REFUSALS = new Set([
  'StripeInvalidRequestError',
  'StripeCardError',
  'StripeIdempotencyError',
]);

/**
 * Collects invoices with Stripe PaymentIntents through the official `stripe` package. The
 * invoice id travels in the intent's metadata, where the webhook reads it back when the payment
 * succeeds; the idempotency key is the invoice's, so a request repeated after a crash (within
 * Stripe's 24 hours) returns the intent already made instead of charging twice. Stripe amounts
 * are in the currency's smallest unit, as invoices keep them.
 */
export class StripePayments implements PaymentProvider {
  readonly name = 'stripe';
  private readonly stripe: Stripe;

  constructor(secretKey: string, apiUrl?: string) {
    const url = apiUrl === undefined ? undefined : new URL(apiUrl);
    this.stripe = new Stripe(secretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      appInfo: { name: 'Burndown' },
      ...(url === undefined
        ? {}
        : {
            host: url.hostname,
            port: url.port || (url.protocol === 'https:' ? 443 : 80),
            protocol: url.protocol === 'https:' ? 'https' : 'http',
          }),
    });
  }

  async requestPayment(collection: PaymentCollection): Promise<{ readonly paymentId: string }> {
    if (collection.amount > BigInt(Number.MAX_SAFE_INTEGER))
      throw new PaymentRequestRefused(
        `${collection.amount} is more than Stripe can collect at once`,
      );
    return refusing(async () => {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: Number(collection.amount),
          currency: collection.currency.toLowerCase(),
          description: `Invoice ${collection.invoiceNumber}`,
          automatic_payment_methods: { enabled: true },
          metadata: {
            invoiceId: collection.invoiceId,
            invoiceNumber: collection.invoiceNumber,
            customerId: collection.customerId,
          },
        },
        { idempotencyKey: `burndown-invoice-${collection.invoiceId}` },
      );
      return { paymentId: intent.id };
    });
  }

  async paymentStatus(paymentId: string): Promise<PaymentStatus> {
    const intent = await refusing(() => this.stripe.paymentIntents.retrieve(paymentId));
    return {
      provider: this.name,
      paymentId: intent.id,
      status: intent.status,
      amount: BigInt(intent.amount),
      currency: intent.currency.toUpperCase(),
      clientSecret: intent.client_secret,
    };
  }

  async cancelPayment(paymentId: string): Promise<void> {
    await refusing(() =>
      this.stripe.paymentIntents.cancel(
        paymentId,
        { cancellation_reason: 'abandoned' },
        { idempotencyKey: `burndown-cancel-${paymentId}` },
      ),
    );
  }
}

async function refusing<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // By type name: the error classes are the library's, and may come from another realm in tests.
    const type = (error as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && REFUSALS.has(type))
      throw new PaymentRequestRefused(`Stripe refused it: ${(error as Error).message}`, {
        cause: error,
      });
    throw error;
  }
}
