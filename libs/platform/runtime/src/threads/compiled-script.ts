import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * A worker thread runs compiled JavaScript. Running from the compiled tree, a script is itself;
 * running from the TypeScript sources (jest), it is its compiled twin under dist/, loaded with
 * the hook that resolves the workspace's `@burndown/*` aliases there.
 */
export function compiledScript(file: string): {
  readonly file: string;
  readonly execArgv: readonly string[];
} {
  if (!file.endsWith('.ts')) return { file, execArgv: [] };
  const root = workspaceRoot(dirname(file));
  const compiled = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
  if (!existsSync(compiled))
    throw new Error(
      `${compiled} is missing: a service thread runs the compiled app (npm run build)`,
    );
  return { file: compiled, execArgv: ['-r', join(root, 'tools/runtime/register-aliases.cjs')] };
}

function workspaceRoot(from: string): string {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'tsconfig.base.json'))) return directory;
    if (dirname(directory) === directory) throw new Error(`no workspace above ${from}`);
  }
}
