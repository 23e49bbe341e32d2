// End-to-end tests that start Burndown as a real process run the compiled apps; compile them first
// (incremental, so this is quick when nothing changed).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function buildApps() {
  const root = path.resolve(__dirname, '../..');
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
};
