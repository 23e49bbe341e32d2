import { join } from 'node:path';
import { loadConfig } from '../config';
import { startServiceThread } from './service-thread';

// An e2e test: the thread runs the compiled tree, which the e2e tier's global setup builds.
describe('startServiceThread', () => {
  it('rejects, saying why, when the thread cannot start its modules, and leaves no thread behind', async () => {
    const failures: string[] = [];
    const starting = startServiceThread({
      config: loadConfig({ BURNDOWN_LOG_LEVEL: 'silent' }),
      modules: {
        file: join(__dirname, 'service-thread-protocol.ts'),
        exportName: 'NO_SUCH_MODULES',
      },
      databases: {},
      onFailure: (reason) => failures.push(reason),
    });
    await expect(starting).rejects.toThrow(
      /service thread failed to start: .*exports no NO_SUCH_MODULES/,
    );
    // Failing to start is the caller's error to handle, not a failure of a running thread.
    expect(failures).toEqual([]);
  });
});
