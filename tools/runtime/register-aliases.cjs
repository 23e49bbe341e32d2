// Resolves the workspace's `@burndown/*` import aliases to the compiled files under dist/, so the
// built apps run on plain `node` without a bundler. Loaded with `node -r`.
const Module = require('node:module');
const path = require('node:path');
const { compilerOptions } = require('../../tsconfig.base.json');

const root = path.resolve(__dirname, '../..');
const aliases = new Map(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    alias,
    path.join(root, 'dist', target.replace(/\.ts$/, '.js')),
  ]),
);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  const target = aliases.get(request);
  return resolveFilename.call(this, target ?? request, ...rest);
};
