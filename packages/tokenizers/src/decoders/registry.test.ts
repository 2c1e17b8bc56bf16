import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decoderFromJSON } from './registry';

const require = createRequire(import.meta.url);
const O = require('@anush008/tokenizers');

const chains: string[][] = [
  ['hello', '##world', ',', 'it', "'", 's', 'un', '##aff', '##able', '.', 'do', 'not'],
  ['▁Hello', '▁wor', 'ld', '▁', '<0xE2>', '<0x82>', '<0xAC>', '▁x', '<0xFF>', 'y'],
  ['Hello', 'Ġworld', 'ĠðŁĺ', 'Ģ', 'Ċ', 'ĠcafÃ©'],
  ['hel', 'lo</w>', 'wor', 'ld</w>'],
  ['▁▁a', 'b▁', '▁'],
];

const cases: Array<[string, object, unknown]> = [
  ['WordPiece', { type: 'WordPiece', prefix: '##', cleanup: true }, O.wordPieceDecoder('##', true)],
  ['WordPiece (no cleanup)', { type: 'WordPiece', prefix: '##', cleanup: false }, O.wordPieceDecoder('##', false)],
  ['ByteLevel', { type: 'ByteLevel' }, null],
  ['BPEDecoder', { type: 'BPEDecoder', suffix: '</w>' }, O.bpeDecoder('</w>')],
  ['Metaspace', { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true }, O.metaspaceDecoder('▁', 'always')],
  ['Replace', { type: 'Replace', pattern: { String: '▁' }, content: ' ' }, O.replaceDecoder('▁', ' ')],
  ['Fuse', { type: 'Fuse' }, O.fuseDecoder()],
  ['Strip', { type: 'Strip', content: '▁', start: 1, stop: 0 }, O.stripDecoder('▁', 1, 0)],
  ['ByteFallback', { type: 'ByteFallback' }, O.byteFallbackDecoder()],
  [
    'Sequence (Llama style)',
    { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] },
    O.sequenceDecoder([O.replaceDecoder('▁', ' '), O.byteFallbackDecoder(), O.fuseDecoder(), O.stripDecoder(' ', 1, 0)]),
  ],
];

describe('decoders match HF', () => {
  for (const [name, json, oracle] of cases) {
    it(name, () => {
      const d = decoderFromJSON(json, { file: 'test', path: 'decoder' })!;
      const ref = (oracle ?? O.Tokenizer.fromString(JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: {}, merges: [] }, decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true } })).getDecoder()) as { decode(t: string[]): string };
      for (const c of chains) expect(d.decodeChain(c).join(''), JSON.stringify(c)).toBe(ref.decode(c));
      expect(decoderFromJSON(d.toJSON(), { file: 'test', path: '' })!.toJSON()).toEqual(d.toJSON());
    });
  }
});
