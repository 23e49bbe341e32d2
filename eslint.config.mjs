import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Domain code must stay free of transport and storage frameworks (DESIGN.md §7).
const infrastructurePackages = [
  '@nestjs/*',
  'nats',
  '@nats-io/*',
  '@eventstore/*',
  '@kurrent/*',
  'mongodb',
  '@electric-sql/*',
  'fastify',
  'class-validator',
  'class-transformer',
];

const BOUNDED_CONTEXTS = ['ingestion', 'rating', 'wallets', 'entitlements', 'invoicing'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '.nx/**', '.burndown/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: infrastructurePackages,
            },
            {
              sourceTag: 'type:port',
              onlyDependOnLibsWithTags: ['type:domain', 'type:port'],
              bannedExternalImports: infrastructurePackages,
            },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:port'] },
            {
              sourceTag: 'type:platform',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:port',
                'type:adapter',
                'type:platform',
              ],
            },
            {
              sourceTag: 'type:service',
              onlyDependOnLibsWithTags: ['type:domain', 'type:port', 'type:platform'],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:port',
                'type:adapter',
                'type:platform',
                'type:testing',
              ],
            },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['*'] },
            // Bounded contexts: a context's libraries (and its service's app) reach its own domain
            // and shared code only; contexts talk through published messages, never imports.
            ...BOUNDED_CONTEXTS.map((context) => ({
              sourceTag: `scope:${context}`,
              onlyDependOnLibsWithTags: [`scope:${context}`, 'scope:shared'],
            })),
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name='only'][callee.object.name=/^(describe|it|test)$/]",
          message: 'Focused tests hide the rest of the suite.',
        },
      ],
    },
  },
  {
    // Node's built-in store is infrastructure too; nx's banned imports do not cover node: modules.
    files: ['libs/*/domain/**/*.ts', 'libs/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'node:sqlite',
              message:
                'Domain code stays free of storage: the embedded store lives in libs/platform/embedded.',
            },
          ],
        },
      ],
    },
  },
  {
    // Integration and end-to-end specs wire real adapters into services; unit specs keep their lib's rules.
    files: ['**/*.int.spec.ts', '**/*.e2e.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
