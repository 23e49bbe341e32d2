import { storeActivity } from '@burndown/ports';
import { resolveHttpPlatformOptions } from '../http-platform.options';
import { HealthController } from './health.controller';

describe('GET /health', () => {
  it('names the service and says how many event-store appends the process has made', () => {
    const health = new HealthController(resolveHttpPlatformOptions({ serviceName: 'wallets' }));
    const before = health.health();
    storeActivity.recordAppend(3);
    storeActivity.recordAppend(0);
    expect(health.health()).toEqual({
      status: 'ok',
      service: 'wallets',
      store: { appends: before.store.appends + 2, appendedEvents: before.store.appendedEvents + 3 },
    });
  });
});
