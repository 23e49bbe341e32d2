import { loadConfig } from './config';
import { keyNote } from './run-main';

describe('what a start prints about API keys', () => {
  const key = 'bd_0123456789012345678901234567890123456789';
  const config = loadConfig({ BURNDOWN_DATA_DIR: '/var/lib/burndown' });

  it('shows a new development key on an interactive terminal only', () => {
    expect(keyNote(config, { developmentKey: key, developmentKeyCreated: true }, true)).toContain(
      key,
    );
    const logged = keyNote(config, { developmentKey: key, developmentKeyCreated: true }, false);
    expect(logged).not.toContain(key);
    expect(logged).toContain('/var/lib/burndown/dev-api-key');
  });

  it("never shows a key it did not create now, nor the operator's admin key", () => {
    expect(
      keyNote(config, { developmentKey: key, developmentKeyCreated: false }, true),
    ).not.toContain(key);
    const withAdmin = loadConfig({ BURNDOWN_ADMIN_KEY: key });
    expect(keyNote(withAdmin, { developmentKey: '', developmentKeyCreated: false }, true)).toBe(
      'API keys: the first admin key is the one in BURNDOWN_ADMIN_KEY (not printed)',
    );
  });

  it('refuses an admin key that is not a Burndown key, or two sources of one', () => {
    expect(() => loadConfig({ BURNDOWN_ADMIN_KEY: 'hunter2' })).toThrow(
      /BURNDOWN_ADMIN_KEY must be a Burndown API key/,
    );
    expect(() =>
      loadConfig({ BURNDOWN_ADMIN_KEY: key, BURNDOWN_ADMIN_KEY_FILE: '/run/secrets/key' }),
    ).toThrow(/not both/);
    expect(loadConfig({ BURNDOWN_ADMIN_KEY_FILE: '/run/secrets/key' }).adminKey).toEqual({
      file: '/run/secrets/key',
    });
  });
});
