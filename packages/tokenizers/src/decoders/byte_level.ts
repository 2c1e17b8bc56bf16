import { CHAR_TO_BYTE } from '../byte_level_alphabet';
import type { Decoder } from './decoder';

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

/** HF ByteLevel decoder: byte-level characters back to bytes, then lossy UTF-8 decoding. */
export class ByteLevelDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    const bytes: number[] = [];
    for (const t of tokens) {
      const mapped: number[] = [];
      let ok = true;
      for (const ch of t) {
        const b = CHAR_TO_BYTE.get(ch);
        if (b === undefined) {
          ok = false;
          break;
        }
        mapped.push(b);
      }
      if (ok) bytes.push(...mapped);
      else bytes.push(...utf8Encoder.encode(t));
    }
    return [utf8.decode(new Uint8Array(bytes))];
  }

  toJSON(): Record<string, unknown> {
    return { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true };
  }
}
