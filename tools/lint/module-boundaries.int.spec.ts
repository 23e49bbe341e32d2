import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

// Guards the lint configuration itself: domain libraries must not reach frameworks or adapters.
describe('module boundaries', () => {
  const root = resolve(__dirname, '../..');
  let eslint: ESLint;

  beforeAll(() => {
    // The boundary rule reads Nx's cached project graph; computing it is what `npm run lint` does first.
    execFileSync(process.execPath, [require.resolve('nx/bin/nx'), 'show', 'projects'], {
      cwd: root,
      stdio: 'ignore',
    });
    eslint = new ESLint({ cwd: root });
  });

  const lint = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
    return (result?.messages ?? [])
      .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
      .map((m) => m.message);
  };

  it.each([
    [
      '@nestjs/common',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    ],
    ['nats', "import { connect } from 'nats';\nexport const x = connect;\n"],
    [
      'an adapter library',
      "import { EmbeddedDatabase } from '@burndown/embedded';\nexport const x = EmbeddedDatabase;\n",
    ],
  ])('rejects a domain library importing %s', async (_what, code) => {
    expect(await lint('libs/wallets/domain/src/violation.ts', code)).not.toEqual([]);
  });

  it('rejects a domain library importing the embedded store engine (node:sqlite)', async () => {
    const [result] = await eslint.lintText(
      "import { DatabaseSync } from 'node:sqlite';\nexport const x = DatabaseSync;\n",
      {
        filePath: resolve(root, 'libs/wallets/domain/src/violation.ts'),
      },
    );
    expect((result?.messages ?? []).map((m) => m.ruleId)).toContain('no-restricted-imports');
  });

  it('accepts a domain library importing another domain library', async () => {
    expect(
      await lint(
        'libs/wallets/domain/src/fine.ts',
        "import { parseAmount } from '@burndown/money';\nexport const x = parseAmount;\n",
      ),
    ).toEqual([]);
  });

  it('rejects a service importing an adapter directly', async () => {
    const code =
      "import { EmbeddedDatabase } from '@burndown/embedded';\nexport const x = EmbeddedDatabase;\n";
    expect(await lint('libs/wallets/service/src/violation.ts', code)).not.toEqual([]);
  });

  it.each([
    [
      'invoicing',
      'the wallets domain',
      'libs/invoicing/service',
      "import { walletDecider } from '@burndown/wallet-domain';\nexport const x = walletDecider;\n",
    ],
    [
      'rating',
      'the wallets service',
      'libs/rating/service',
      "import { WalletCommands } from '@burndown/wallets';\nexport const x = WalletCommands;\n",
    ],
    [
      'the wallets domain',
      'the rating domain',
      'libs/wallets/domain',
      "import { decideRating } from '@burndown/rating-domain';\nexport const x = decideRating;\n",
    ],
  ])(
    'rejects %s importing %s: bounded contexts meet only through messages',
    async (_who, _what, lib, code) => {
      expect(await lint(`${lib}/src/violation.ts`, code)).not.toEqual([]);
    },
  );

  it('accepts a service importing its own domain and shared code', async () => {
    const code =
      "import { walletDecider } from '@burndown/wallet-domain';\nimport { parseAmount } from '@burndown/money';\nexport const x = [walletDecider, parseAmount];\n";
    expect(await lint('libs/wallets/service/src/fine.ts', code)).toEqual([]);
  });
});
