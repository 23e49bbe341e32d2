import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');

export interface BurndownProcess {
  readonly url: string;
  readonly apiKey: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far, for failure messages. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the compiled embedded app (`npm run build` first) as a real process on a data directory,
 * so tests can kill -9 it and start it again on the same files.
 */
export async function startBurndownProcess(
  dataDir: string,
  options: { readonly env?: Readonly<Record<string, string>>; readonly timeoutMs?: number } = {},
): Promise<BurndownProcess> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(ROOT, 'tools/runtime/register-aliases.cjs'),
      join(ROOT, 'dist/apps/burndown/src/main.js'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...options.env,
        BURNDOWN_DATA_DIR: dataDir,
        BURNDOWN_PORT: '0',
        BURNDOWN_HOST: '127.0.0.1',
        BURNDOWN_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`Burndown did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const watch = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout?.on('data', watch);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Burndown exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url,
    apiKey: readFileSync(join(dataDir, 'dev-api-key'), 'utf8').trim(),
    child,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
