import type { Decoder } from './decoder';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** HF ByteFallback decoder: runs of <0xXX> tokens become the UTF-8 text they encode (one � per byte if invalid). */
export class ByteFallbackDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    let bytes: number[] = [];
    const flush = (): void => {
      if (bytes.length === 0) return;
      try {
        out.push(utf8.decode(new Uint8Array(bytes)));
      } catch {
        for (let i = 0; i < bytes.length; i++) out.push('\ufffd');
      }
      bytes = [];
    };
    for (const t of tokens) {
      const m = t.length === 6 ? /^<0x([0-9A-Fa-f]{2})>$/.exec(t) : null;
      if (m) bytes.push(parseInt(m[1]!, 16));
      else {
        flush();
        out.push(t);
      }
    }
    flush();
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'ByteFallback' };
  }
}
