/**
 * Runs `tick` every `intervalMs`, never two at once (a tick that outlasts the interval makes the
 * next one wait); `stop` waits for the tick under way. The timer does not keep the process alive.
 */
export function periodicTicks(
  intervalMs: number,
  tick: () => Promise<unknown>,
): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= tick().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
