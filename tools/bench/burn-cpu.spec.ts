import { SERVICE_THREAD_NAME } from '@burndown/runtime';
import { SERVICE_THREAD_COMM } from './burn-cpu';

describe('burn CPU sampling', () => {
  it('names the service thread as the kernel shows Burndown’s (a Worker name cut to 15 characters)', () => {
    expect(SERVICE_THREAD_COMM).toBe(SERVICE_THREAD_NAME.slice(0, 15));
  });
});
