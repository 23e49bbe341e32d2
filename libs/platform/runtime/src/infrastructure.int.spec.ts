import { ConfigError, loadConfig } from './config';
import { openInfrastructure } from './infrastructure';

// A production adapter that cannot reach its server stops the process at start, naming the setting.
describe('openInfrastructure with unreachable production servers', () => {
  it.each([
    [
      { BURNDOWN_BUS: 'nats', BURNDOWN_NATS_URL: 'nats://127.0.0.1:1' },
      /BURNDOWN_BUS=nats: cannot connect to NATS at nats:\/\/127\.0\.0\.1:1:.*BURNDOWN_NATS_URL/,
    ],
    [
      { BURNDOWN_READ_STORE: 'mongo', BURNDOWN_MONGO_URL: 'mongodb://127.0.0.1:1' },
      /BURNDOWN_READ_STORE=mongo: cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1.*BURNDOWN_MONGO_URL/,
    ],
    [
      { BURNDOWN_EVENT_STORE: 'esdb', BURNDOWN_ESDB_URL: 'esdb://127.0.0.1:1?tls=false' },
      /BURNDOWN_EVENT_STORE=esdb: cannot reach EventStoreDB at esdb:\/\/127\.0\.0\.1:1\?tls=false.*BURNDOWN_ESDB_URL/,
    ],
  ])(
    '%j fails with a message naming it',
    async (env, message) => {
      const failure = openInfrastructure(loadConfig(env));
      await expect(failure).rejects.toBeInstanceOf(ConfigError);
      await expect(failure).rejects.toThrow(message);
    },
    30_000,
  );
});
