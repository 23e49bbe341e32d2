import { randomUUID } from 'node:crypto';

/**
 * A name no other test uses, so contract tests stay independent of each other and can run against
 * a shared, long-lived server that still holds data from earlier runs.
 */
export function uniqueName(label: string): string {
  return `${label}-${randomUUID()}`;
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until the condition holds; fails with `what` after the timeout. */
export async function eventually(
  what: string,
  condition: () => boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(10);
  }
}

/** What a contract suite's factory returns: the adapter, and how to close what it opened. */
export interface AdapterUnderTest<Adapter> {
  readonly adapter: Adapter;
  teardown(): Promise<void>;
}

/** Time for a factory to start its server (a container can take a while). */
const FACTORY_TIMEOUT_MS = 120_000;

/**
 * The frame every port's contract suite shares: the factory runs once before the suite, the
 * teardown once after it, and `body` gets an accessor that fails clearly if the factory did not run.
 */
export function describeAdapterContract<Adapter>(
  title: string,
  factory: () => Promise<AdapterUnderTest<Adapter>>,
  body: (adapter: () => Adapter) => void,
): void {
  describe(title, () => {
    let underTest: AdapterUnderTest<Adapter> | undefined;
    const adapter = (): Adapter => {
      if (underTest === undefined) throw new Error(`${title}: the factory has not run`);
      return underTest.adapter;
    };
    beforeAll(async () => {
      underTest = await factory();
    }, FACTORY_TIMEOUT_MS);
    afterAll(async () => {
      await underTest?.teardown();
    });
    body(adapter);
  });
}
