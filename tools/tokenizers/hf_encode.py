"""Encodes inputs with HF `tokenizers` (the Python package) and prints the fixture JSON.

Called by make-sentencepiece-fixtures.mjs:
  python hf_encode.py <tokenizer.json> <inputs.json>
inputs.json: a list of strings or [a, b] pairs (JSON, as JS strings: lone surrogates allowed).
Offsets are converted from Python code points to UTF-16 code units, the unit attn counts in. Lone
surrogates become U+FFFD before encoding, as on their way into Rust from JS.
"""
import json
import re
import sys

import tokenizers
from tokenizers import Tokenizer


def units(s):
    """Code point index -> UTF-16 unit index, for one string."""
    m = [0]
    for c in s:
        m.append(m[-1] + (2 if ord(c) > 0xFFFF else 1))
    return m


def word_ids_text(word_ids):
    """Word ids as one character per token: 'n' none, '.' the previous token's word, '+' the next
    word, otherwise the id in parentheses."""
    out = []
    prev = None
    for w in word_ids:
        if w is None:
            out.append('n')
        elif prev is not None and w == prev:
            out.append('.')
        elif prev is not None and w == prev + 1:
            out.append('+')
        else:
            out.append('(%d)' % w)
        if w is not None:
            prev = w
    return ''.join(out)


def well_formed(s):
    return ''.join('\ufffd' if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)


def main():
    tok = Tokenizer.from_file(sys.argv[1])
    added = [t.content for t in tok.get_added_tokens_decoder().values()]
    inputs = json.load(open(sys.argv[2], encoding='utf-8'))
    cases = []
    for inp in inputs:
        pair = isinstance(inp, list)
        a, b = (inp[0], inp[1]) if pair else (inp, None)
        enc = tok.encode(well_formed(a), well_formed(b)) if pair else tok.encode(well_formed(a))
        maps = [units(a), units(b) if pair else None]
        offsets = []
        for (s, e), seq in zip(enc.offsets, enc.sequence_ids):
            m = maps[seq] if seq is not None else None
            offsets += [m[s], m[e]] if m is not None else [s, e]
        case = {'pair': [a, b]} if pair else {'input': a}
        case['ids'] = enc.ids
        # Tokens are the vocabulary's strings for the ids; written only where they are not.
        if any(t != tok.id_to_token(i) for t, i in zip(enc.tokens, enc.ids)):
            case['tokens'] = enc.tokens
        case['offsets'] = offsets
        case['wordIds'] = word_ids_text(enc.word_ids)
        if pair:
            case['typeIds'] = enc.type_ids
        case['decode'] = tok.decode(enc.ids, skip_special_tokens=True)
        # Keeping the special tokens: for every fourth case and wherever the text holds an added token.
        if len(cases) % 4 == 0 or any(t in (a + (b or '')) for t in added):
            case['decodeWithSpecial'] = tok.decode(enc.ids, skip_special_tokens=False)
        cases.append(case)
    text = json.dumps({'tokenizersVersion': tokenizers.__version__, 'cases': cases}, ensure_ascii=False, separators=(',', ':'))
    # Lone surrogates cannot be written as UTF-8: escape them (JSON allows \udXXX escapes).
    text = re.sub('[\ud800-\udfff]', lambda m: '\\u%04x' % ord(m.group()), text)
    sys.stdout.reconfigure(encoding='utf-8')
    sys.stdout.write(text)


if __name__ == '__main__':
    main()
