import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ServiceImage {
  /** What the suite is for, in the skip line. */
  readonly name: string;
  /** Address of a running server; when set, no container is started. */
  readonly urlVariable: string;
  readonly image: string;
  readonly port: number;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly url: (port: number) => string;
}

export type ServiceAvailability =
  | {
      readonly available: true;
      readonly describe: string;
      start(): Promise<{ url: string; stop(): Promise<void> }>;
    }
  | { readonly available: false; readonly reason: string };

/**
 * Where a production adapter's contract suite can run: a server named by an environment variable,
 * or a container of the pinned image when a container runtime answers; otherwise the reason the
 * suite is skipped, to print (never a silent skip, never a pass without running).
 */
export function externalService(service: ServiceImage): ServiceAvailability {
  const given = process.env[service.urlVariable];
  if (given)
    return {
      available: true,
      describe: `${service.name} at ${given} (${service.urlVariable})`,
      start: async () => ({ url: given, stop: async () => undefined }),
    };
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      timeout: 5_000,
      stdio: 'pipe',
    });
  } catch (error) {
    const detail = ((error as { stderr?: Buffer }).stderr?.toString() || (error as Error).message)
      .trim()
      .split('\n')[0];
    return {
      available: false,
      reason: `${service.name} contract suite SKIPPED: ${service.urlVariable} is not set and no container runtime answered \`docker info\` (${detail})`,
    };
  }
  return {
    available: true,
    describe: `${service.name} in a container of ${service.image}`,
    start: async () => {
      const envArgs = Object.entries(service.env ?? {}).flatMap(([key, value]) => [
        '-e',
        `${key}=${value}`,
      ]);
      const { stdout } = await run('docker', [
        'run',
        '-d',
        '--rm',
        '-p',
        `127.0.0.1::${service.port}`,
        ...envArgs,
        service.image,
        ...(service.args ?? []),
      ]);
      const id = stdout.trim();
      const mapped =
        (await run('docker', ['port', id, String(service.port)])).stdout.trim().split('\n')[0] ??
        '';
      const port = Number(mapped.slice(mapped.lastIndexOf(':') + 1));
      return {
        url: service.url(port),
        stop: async () => void (await run('docker', ['rm', '-f', id]).catch(() => undefined)),
      };
    },
  };
}

/** Retries `attempt` until it resolves or `timeoutMs` passes (a container takes a while to listen). */
export async function untilReady<T>(attempt: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/**
 * Runs `suite` when the service is available; otherwise prints why and registers a skipped test
 * that names the reason, so the skip shows in every report.
 */
export function whenAvailable(
  service: ServiceAvailability,
  skippedTitle: string,
  suite: (service: Extract<ServiceAvailability, { available: true }>) => void,
): void {
  if (service.available) {
    suite(service);
    return;
  }
  // Straight to stderr: jest drops what a file whose tests are all skipped logs through console.
  process.stderr.write(`${service.reason}\n`);
  describe.skip(service.reason, () => {
    it(skippedTitle, () => undefined);
  });
}
