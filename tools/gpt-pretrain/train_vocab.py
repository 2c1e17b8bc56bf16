"""Byte-level BPE vocabulary (GPT-2 style) for the default GPT, trained by HF tokenizers on the
training split written by prepare-corpus.mjs (never the held-out book).

  /tmp/hfvenv/bin/python tools/gpt-pretrain/train_vocab.py --train /tmp/gpt/train.txt --out /tmp/gpt/tokenizer.json

GPT-2's pipeline: ByteLevel pre-tokenizer (GPT-2 regex, no prefix space), BPE over the 256 byte
symbols, ByteLevel decoder and post-processor, "<|endoftext|>" as id 0 (bos, eos and pad).
"""
import argparse

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

ap = argparse.ArgumentParser()
ap.add_argument("--train", default="/tmp/gpt/train.txt")
ap.add_argument("--out", default="/tmp/gpt/tokenizer.json")
ap.add_argument("--vocab-size", type=int, default=4096)
ap.add_argument("--min-frequency", type=int, default=2)
a = ap.parse_args()

tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tok.decoder = decoders.ByteLevel()
tok.post_processor = processors.ByteLevel(trim_offsets=False)
trainer = trainers.BpeTrainer(
    vocab_size=a.vocab_size,
    min_frequency=a.min_frequency,
    special_tokens=["<|endoftext|>"],
    initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    show_progress=False,
)
tok.train([a.train], trainer)
tok.save(a.out)
print(f"{a.out}: {tok.get_vocab_size()} tokens")
