import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A PaymentIntent as the fake keeps it (the fields Burndown reads and sends). */
export interface FakePaymentIntent {
  readonly id: string;
  readonly amount: number;
  readonly currency: string;
  readonly description: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly status: string;
  readonly client_secret: string;
}

/** A request the fake received, as Stripe would see it. */
export interface FakeStripeRequest {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | undefined;
  readonly authorization: string | undefined;
  readonly form: URLSearchParams;
}

/**
 * Stripe's PaymentIntents API, as much as Burndown uses of it, on a local port: create (with
 * Stripe's idempotency: a key sent again returns the first answer) and retrieve, in Stripe's
 * wire format (form-encoded bodies, JSON answers, errors as `{ error: { type, message } }`).
 * Tests point the official client at it, so what crosses the boundary is what Stripe would get.
 * `refuseCurrency` answers as Stripe does for a currency the account cannot take.
 */
export class FakeStripe {
  readonly requests: FakeStripeRequest[] = [];
  readonly intents = new Map<string, FakePaymentIntent>();
  private readonly byIdempotencyKey = new Map<string, FakePaymentIntent>();
  /** Requests to fail with a 500 before answering again (a Stripe outage). */
  failNext = 0;

  private readonly server: Server;
  private origin = '';

  private constructor(private readonly refuseCurrency: string | undefined) {
    this.server = createServer((request, response) => {
      void this.answer(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
  }

  static async start(options: { readonly refuseCurrency?: string } = {}): Promise<FakeStripe> {
    const fake = new FakeStripe(options.refuseCurrency);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.origin = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Where it answers, for BURNDOWN_STRIPE_API_URL. */
  get url(): string {
    return this.origin;
  }

  /** The PaymentIntents created for an invoice (Burndown names it in the metadata). */
  intentsFor(invoiceId: string): FakePaymentIntent[] {
    return [...this.intents.values()].filter(
      (intent) => intent.metadata['invoiceId'] === invoiceId,
    );
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const path = (request.url ?? '').split('?')[0] ?? '';
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const form = new URLSearchParams(text);
    this.requests.push({
      method: request.method ?? '',
      path,
      idempotencyKey: header('idempotency-key'),
      authorization: header('authorization'),
      form,
    });
    if (this.failNext > 0) {
      this.failNext--;
      return stripeError(500, 'api_error', 'Stripe had a moment');
    }
    if (request.method === 'POST' && path === '/v1/payment_intents')
      return this.create(form, header('idempotency-key'));
    const cancel = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path);
    if (request.method === 'POST' && cancel !== null)
      return this.cancel(decodeURIComponent(cancel[1] ?? ''));
    const retrieve = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && retrieve !== null) {
      const intent = this.intents.get(decodeURIComponent(retrieve[1] ?? ''));
      return intent === undefined
        ? stripeError(404, 'invalid_request_error', 'No such payment_intent')
        : { status: 200, body: intent };
    }
    return stripeError(
      404,
      'invalid_request_error',
      `Unrecognized request URL (${request.method}: ${path})`,
    );
  }

  /** What Stripe does when the payer pays: the intent succeeds (and can no longer be canceled). */
  succeed(id: string): void {
    const intent = this.intents.get(id);
    if (intent !== undefined) this.intents.set(id, { ...intent, status: 'succeeded' });
  }

  private cancel(id: string) {
    const intent = this.intents.get(id);
    if (intent === undefined)
      return stripeError(404, 'invalid_request_error', 'No such payment_intent');
    if (intent.status === 'succeeded')
      return stripeError(
        400,
        'invalid_request_error',
        'This PaymentIntent has succeeded and cannot be canceled',
      );
    const canceled = { ...intent, status: 'canceled' };
    this.intents.set(id, canceled);
    return { status: 200, body: { object: 'payment_intent', ...canceled } };
  }

  private create(form: URLSearchParams, idempotencyKey: string | undefined) {
    const known =
      idempotencyKey === undefined ? undefined : this.byIdempotencyKey.get(idempotencyKey);
    if (known !== undefined) return { status: 200, body: known };
    const amount = Number(form.get('amount'));
    const currency = form.get('currency') ?? '';
    if (!Number.isSafeInteger(amount) || amount < 1)
      return stripeError(400, 'invalid_request_error', 'Invalid positive integer', 'amount');
    if (currency === this.refuseCurrency)
      return stripeError(400, 'invalid_request_error', `Invalid currency: ${currency}`, 'currency');
    const metadata: Record<string, string> = {};
    for (const [key, value] of form) {
      const field = /^metadata\[(.+)\]$/.exec(key);
      if (field !== null) metadata[field[1] ?? ''] = value;
    }
    const id = `pi_fake_${this.intents.size + 1}`;
    const intent: FakePaymentIntent = {
      id,
      amount,
      currency,
      description: form.get('description') ?? undefined,
      metadata,
      status: 'requires_payment_method',
      client_secret: `${id}_secret_${this.intents.size + 1}`,
    };
    this.intents.set(id, intent);
    if (idempotencyKey !== undefined) this.byIdempotencyKey.set(idempotencyKey, intent);
    return { status: 200, body: { object: 'payment_intent', ...intent } };
  }
}

function stripeError(status: number, type: string, message: string, param?: string) {
  return { status, body: { error: { type, message, ...(param === undefined ? {} : { param }) } } };
}
