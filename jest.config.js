// One jest run, three tiers by file name (DESIGN.md §6):
//   *.spec.ts      unit, pure
//   *.int.spec.ts  real adapters, real NATS
//   *.e2e.spec.ts  the whole system over HTTP
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    `<rootDir>/${target}`,
  ]),
);

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
  },
];

const tier = (displayName, testMatch, testPathIgnorePatterns = [], extra = {}) => ({
  displayName,
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testMatch,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', ...testPathIgnorePatterns],
  ...extra,
});

module.exports = {
  projects: [
    tier(
      'unit',
      ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'],
      ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'],
    ),
    tier('int', ['<rootDir>/{apps,libs,tools}/**/*.int.spec.ts']),
    tier('e2e', ['<rootDir>/{apps,libs,tools}/**/*.e2e.spec.ts'], [], {
      globalSetup: '<rootDir>/tools/jest/build-apps.js',
    }),
  ],
  testTimeout: 30000,
};
