/**
 * Rust's `char::to_lowercase`, one character at a time: unlike String.prototype.toLowerCase on a
 * whole string it has no context rules (a final Σ becomes σ, never ς).
 */
import { LOWERCASE_OVERRIDES } from '../unicode_overrides';

const cache = new Map<number, string>();

export function rustLowercase(cp: number): string {
  if (cp < 128) return String.fromCharCode(cp >= 65 && cp <= 90 ? cp + 32 : cp);
  let r = cache.get(cp);
  if (r === undefined) {
    r = LOWERCASE_OVERRIDES.get(cp) ?? String.fromCodePoint(cp).toLowerCase();
    cache.set(cp, r);
  }
  return r;
}
