import { Injectable } from '@nestjs/common';

/** In memory: when each wallet next has time-driven work. Fed by the timers projection. */
@Injectable()
export class DueWallets {
  private readonly dueAtMs = new Map<string, number>();

  set(walletId: string, dueAt: Date | undefined): void {
    if (dueAt === undefined) this.dueAtMs.delete(walletId);
    else this.dueAtMs.set(walletId, dueAt.getTime());
  }

  /** Wallets due at `now`, soonest first. A scan: fine for the wallets one process owns. */
  dueAt(now: Date, limit: number): string[] {
    const nowMs = now.getTime();
    return [...this.dueAtMs]
      .filter(([, dueMs]) => dueMs <= nowMs)
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit)
      .map(([walletId]) => walletId);
  }
}
