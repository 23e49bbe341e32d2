import { randomFillSync } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids
 * of one process ascending within a millisecond, then random bits. Event ids that ascend land at
 * the right edge of the store's unique index instead of on a random page, so a group commit
 * rewrites a few index pages instead of one per event.
 */
export function newEventId(): string {
  const nowMs = Date.now();
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = 0;
  } else if (++counter > MAX_COUNTER) {
    // 4,096 ids in one millisecond: borrow the next millisecond rather than repeat an order.
    lastMs++;
    counter = 0;
  }
  const hex = randomHex();
  const time = lastMs.toString(16).padStart(12, '0');
  const sequence = (0x7000 | counter).toString(16);
  const variant = ((Number.parseInt(hex.slice(0, 1), 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-${sequence}-${variant}${hex.slice(1, 4)}-${hex.slice(4, 16)}`;
}

const MAX_COUNTER = 0xfff;
let lastMs = 0;
let counter = 0;
/** Random bytes drawn a pool at a time: one call into the system's generator per 1,024 ids. */
const pool = Buffer.alloc(8 * 1_024);
let poolOffset = pool.length;

function randomHex(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += 8;
  return pool.toString('hex', poolOffset - 8, poolOffset);
}
