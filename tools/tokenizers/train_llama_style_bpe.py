"""How ../shared/data/tokenizers/llama-style-bpe/tokenizer.json was trained, in HF tokenizers 0.23.2:
this script trains it again and checks that the result equals the shared file (every field).

  nice -n 10 /tmp/hfvenv/bin/python tools/tokenizers/train_llama_style_bpe.py [--data ../shared/data] [--out file]

The texts: each of the 12 Gutenberg books read whole as Python reads text (UTF-8, universal newlines,
the byte-order mark and the Project Gutenberg header and footer kept), split into lines, each line
.strip()ped. BpeTrainer(vocab_size=4000, special_tokens=<unk> <s> </s> <0x00>..<0xFF>); the byte
tokens are then ordinary vocabulary entries (ids 3-258), not added tokens. attn's
tools/tokenizers/reproduce-llama-style-bpe.mjs does the same with attn's trainBpe.
"""
import argparse
import glob
import json
import os
import time

from tokenizers import Tokenizer, decoders, models, normalizers, processors, trainers

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=os.path.join(ROOT, '..', 'shared', 'data'))
    ap.add_argument('--out')
    args = ap.parse_args()
    lines = []
    for f in sorted(glob.glob(os.path.join(args.data, 'corpus', 'gutenberg', '*.txt'))):
        lines += [l.strip() for l in open(f, encoding='utf-8').read().split('\n')]
    byte_tokens = ['<0x%02X>' % i for i in range(256)]
    tk = Tokenizer(models.BPE(unk_token='<unk>', byte_fallback=True, fuse_unk=True))
    tk.normalizer = normalizers.Sequence([normalizers.Prepend('\u2581'), normalizers.Replace(' ', '\u2581')])
    t0 = time.time()
    tk.train_from_iterator(lines, trainers.BpeTrainer(vocab_size=4000, special_tokens=['<unk>', '<s>', '</s>'] + byte_tokens, show_progress=False))
    seconds = time.time() - t0
    j = json.loads(tk.to_str())
    j['added_tokens'] = [a for a in j['added_tokens'] if a['content'] not in byte_tokens]
    tk = Tokenizer.from_str(json.dumps(j))
    tk.post_processor = processors.TemplateProcessing(single='<s> $A', pair='<s> $A <s> $B', special_tokens=[('<s>', tk.token_to_id('<s>'))])
    tk.decoder = decoders.Sequence([decoders.Replace('\u2581', ' '), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(' ', 1, 0)])
    mine = json.loads(tk.to_str())
    if args.out:
        tk.save(args.out)
    ref = json.load(open(os.path.join(args.data, 'tokenizers', 'llama-style-bpe', 'tokenizer.json'), encoding='utf-8'))
    differ = [k for k in sorted(set(mine) | set(ref)) if mine.get(k) != ref.get(k)]
    print('%d lines, trained in %.1f s; %s' % (len(lines), seconds, 'equal to llama-style-bpe/tokenizer.json' if not differ else 'differs in ' + ', '.join(differ)))
    raise SystemExit(1 if differ else 0)


if __name__ == '__main__':
    main()
