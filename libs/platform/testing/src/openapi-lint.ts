import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPOSITORY = resolve(__dirname, '../../../..');

export interface LintOutcome {
  readonly passed: boolean;
  /** What redocly printed, for the failure message. */
  readonly output: string;
}

/** `redocly lint` (the @redocly/cli package) of a served document, under the repository's redocly.yaml. */
export function lintOpenApiDocument(document: unknown): LintOutcome {
  const dir = mkdtempSync(join(tmpdir(), 'burndown-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const run = spawnSync(
      join(REPOSITORY, 'node_modules/.bin/redocly'),
      ['lint', '--config', join(REPOSITORY, 'redocly.yaml'), '--format=stylish', file],
      {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    return {
      passed: run.status === 0,
      output: `${run.stdout}${run.stderr}${run.error ? String(run.error) : ''}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Operations whose success answers carry no body description (the check redocly's rules leave out). */
export function undescribedSuccesses(document: {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>>;
}): string[] {
  const missing: string[] = [];
  for (const [path, item] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(item))
      for (const [status, response] of Object.entries(operation.responses ?? {}))
        if (/^2\d\d$/.test(status) && status !== '204' && response.content === undefined)
          missing.push(`${method.toUpperCase()} ${path} ${status}`);
  return missing;
}
