"""Writes the expected results of HF tokenizers' BpeTrainer for attn's BPE trainer tests.

  /tmp/hfvenv/bin/python tools/tokenizers/make_bpe_trainer_fixtures.py [--data ../shared/data]

1. fixtures/tokenizer-corpus/bpe-train-slice.txt: a slice of the Gutenberg corpus, the Project
   Gutenberg header and footer stripped as ../shared/data/README.md says (the text between the lines
   matching ^\\*\\*\\* ?START OF and ^\\*\\*\\* ?END OF), lines 400..529 of every book, CRLF kept.
2. fixtures/tokenizer-corpus/hf-bpe-trainer.json: for each case, the trainer's options, how it was
   fed (`files`: Tokenizer.train on the slice file, lines keeping their line endings; `lines`:
   train_from_iterator over the slice's lines with Python's str.strip()), and HF's trained vocab
   (id order) and merges (rank order), plus a few encodings with the trained tokenizer.
Cases: a GPT-2-style byte-level BPE, the Llama-style byte-fallback BPE of
../shared/data/tokenizers/llama-style-bpe (same pipeline, smaller vocabulary), and single options
(min_frequency, limit_alphabet, max_token_length). Each case is trained three times; a case whose
result differs between runs (HF visits words in hash order) fails the script.
"""
import argparse
import glob
import json
import os
import random
import re

import tokenizers
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'fixtures', 'tokenizer-corpus')
BYTES = ['<0x%02X>' % i for i in range(256)]


def gutenberg_slice(data):
    out = []
    for f in sorted(glob.glob(os.path.join(data, 'corpus', 'gutenberg', '*.txt'))):
        lines = open(f, encoding='utf-8', newline='').read().split('\n')
        s = next(i for i, l in enumerate(lines) if re.match(r'^\*\*\* ?START OF', l))
        e = next(i for i, l in enumerate(lines) if re.match(r'^\*\*\* ?END OF', l))
        out += lines[s + 1:e][400:530]
    return '\n'.join(out) + '\n'


def byte_level(vocab_size, **kw):
    tk = Tokenizer(models.BPE())
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    tk.post_processor = processors.ByteLevel(trim_offsets=False)
    tr = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=['<|endoftext|>'], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False, **kw)
    return tk, tr


def byte_fallback(vocab_size, **kw):
    tk = Tokenizer(models.BPE(unk_token='<unk>', byte_fallback=True, fuse_unk=True))
    tk.normalizer = normalizers.Sequence([normalizers.Prepend('\u2581'), normalizers.Replace(' ', '\u2581')])
    tk.decoder = decoders.Sequence([decoders.Replace('\u2581', ' '), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(' ', 1, 0)])
    tr = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=['<unk>', '<s>', '</s>'] + BYTES, show_progress=False, **kw)
    return tk, tr


def whitespace(vocab_size, **kw):
    tk = Tokenizer(models.BPE(unk_token='<unk>'))
    tk.pre_tokenizer = pre_tokenizers.Whitespace()
    tr = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=['<unk>', '<pad>'], show_progress=False, **kw)
    return tk, tr


CASES = [
    # name, pipeline, feed, vocab size, trainer options (HF names)
    ('gpt2-byte-level', byte_level, 'files', 1200, {'min_frequency': 2}),
    ('gpt2-byte-level-lines', byte_level, 'lines', 900, {}),
    ('llama-byte-fallback', byte_fallback, 'lines', 1000, {}),
    ('whitespace-min-frequency', whitespace, 'lines', 900, {'min_frequency': 40}),
    ('whitespace-limit-alphabet', whitespace, 'lines', 600, {'limit_alphabet': 40, 'initial_alphabet': ['\u00e9', '\u2603']}),
    ('whitespace-max-token-length', whitespace, 'lines', 800, {'max_token_length': 4}),
    ('byte-level-max-token-length', byte_level, 'files', 700, {'max_token_length': 3}),
]

PROBES = ['Hello world, said the old man.', 'naïve café — “quoted” 中文 😀 ☃', '  two  spaces\r\nand a line', 'The whale! Ahab!! <|endoftext|> <s> end']


def train_once(slice_file, make, feed, vocab_size, opts):
    tk, tr = make(vocab_size, **opts)
    if feed == 'files':
        tk.train([slice_file], tr)
    else:
        lines = open(slice_file, encoding='utf-8', newline='').read().splitlines()
        tk.train_from_iterator([l.strip() for l in lines], tr)
    if make is byte_fallback:
        # As ../shared/data/tokenizers/llama-style-bpe: the byte tokens are ordinary vocabulary
        # entries (not added tokens), and "<s>" goes first.
        j = json.loads(tk.to_str())
        j['added_tokens'] = [a for a in j['added_tokens'] if a['content'] not in BYTES]
        tk = Tokenizer.from_str(json.dumps(j))
        tk.post_processor = processors.TemplateProcessing(single='<s> $A', pair='<s> $A <s> $B', special_tokens=[('<s>', tk.token_to_id('<s>'))])
    return tk


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=os.path.join(ROOT, '..', 'shared', 'data'))
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    slice_file = os.path.join(OUT, 'bpe-train-slice.txt')
    with open(slice_file, 'w', encoding='utf-8', newline='') as f:
        f.write(gutenberg_slice(args.data))
    cases = []
    for name, make, feed, vocab_size, opts in CASES:
        runs = []
        for _ in range(3):
            tk = train_once(slice_file, make, feed, vocab_size, opts)
            m = json.loads(tk.to_str())['model']
            runs.append((m['vocab'], m['merges']))
        if any(r != runs[0] for r in runs[1:]):
            raise SystemExit('%s: HF gives different results from run to run; choose other options' % name)
        vocab, merges = runs[0]
        probes = []
        for p in PROBES:
            e = tk.encode(p)
            probes.append({'input': p, 'ids': e.ids, 'offsets': e.offsets, 'decode': tk.decode(e.ids)})
        cases.append({
            'name': name, 'pipeline': make.__name__, 'feed': feed, 'vocabSize': vocab_size, 'options': opts,
            'vocab': [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])],
            'merges': [' '.join(m) for m in merges],
            'addedTokens': [a['content'] for a in json.loads(tk.to_str())['added_tokens']],
            'probes': probes,
        })
        print('%s: %d tokens, %d merges' % (name, len(vocab), len(merges)))
    with open(os.path.join(OUT, 'hf-bpe-trainer.json'), 'w', encoding='utf-8') as f:
        text = json.dumps({'tokenizersVersion': tokenizers.__version__, 'slice': 'bpe-train-slice.txt', 'cases': cases}, ensure_ascii=False, indent=0)
        # One random corpus per line.
        rand = ',\n'.join(json.dumps(r, ensure_ascii=False, separators=(',', ':')) for r in random_corpora())
        f.write(text[:-2] + ',\n"random": [\n' + rand + '\n]\n}\n')


def random_corpora(n=300):
    """Small corpora over a 4-letter alphabet: many ties, and tokens formed by more than one pair
    ("ab"+"c" and "a"+"bc"), which make HF queue a pair twice and merge it again later."""
    rng = random.Random(23)
    out = []
    for _ in range(n):
        words = {}
        for _ in range(rng.randint(3, 25)):
            words[''.join(rng.choice('abcd') for _ in range(rng.randint(1, 12)))] = rng.randint(1, 6)
        vocab_size = rng.randint(8, 60)
        runs = []
        for _ in range(2):
            tk = Tokenizer(models.BPE())
            tk.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
            tk.train_from_iterator([w for w, c in words.items() for _ in range(c)], trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False))
            m = json.loads(tk.to_str())['model']
            runs.append(([t for t, _ in sorted(m['vocab'].items(), key=lambda kv: kv[1])], [' '.join(x) for x in m['merges']]))
        if runs[0] != runs[1]:
            continue  # HF itself is not stable on this one
        out.append({'words': words, 'vocabSize': vocab_size, 'vocab': runs[0][0], 'merges': runs[0][1]})
    return out


if __name__ == '__main__':
    main()
