import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../hashing';

export const API_KEY_PREFIX = 'bd_';
export const API_KEY_RANDOM_LENGTH = 40;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const API_KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${API_KEY_RANDOM_LENGTH}}$`);

/** Uniform base62: bytes from 248 up are skipped, since 248 = 4 × 62 and a plain modulo would favour low digits. */
export function randomBase62(length: number): string {
  let text = '';
  while (text.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) text += BASE62.charAt(byte % 62);
      if (text.length === length) break;
    }
  }
  return text;
}

/** `bd_` + 40 base62 characters: about 238 bits, and easy to spot by secret scanners. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBase62(API_KEY_RANDOM_LENGTH)}`;
}

export function looksLikeApiKey(text: string): boolean {
  return API_KEY_PATTERN.test(text);
}

/** Keys are stored only as this hash. A fast hash is enough: the key is random, not a password. */
export function hashApiKey(key: string): string {
  return sha256Hex(key);
}
