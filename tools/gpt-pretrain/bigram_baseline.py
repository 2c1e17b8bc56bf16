"""Bigram baselines for the default GPT's held-out perplexity, on the same token blocks (dump-blocks.mjs):
every position of a held-out block but the first is predicted from the token before it, exactly the tokens
`attn-generate eval` / train's held-out loss scores.

Two smoothed bigrams, each fitted on the training tokens:
- add-k: P(w | v) = (c(v, w) + k) / (c(v) + k V);
- interpolated (Jelinek-Mercer): P(w | v) = l c(v, w) / c(v) + (1 - l) P(w), P(w) add-one unigram.
k and l are chosen on the last 5% of the training blocks (fitted on the other 95%), never on the held-out book,
then refitted on all the training tokens. Two fits: on every training block, and on only the blocks the model
trained on (train_batches.u16: steps x batch blocks).

  /tmp/hfvenv/bin/python tools/gpt-pretrain/bigram_baseline.py --blocks /tmp/gpt/blocks --out bigram.json
"""
import argparse
import json
import math

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--blocks", required=True)
ap.add_argument("--out")
a = ap.parse_args()
meta = json.load(open(f"{a.blocks}/meta.json"))
S, V = meta["blockSize"], meta["vocabSize"]
load = lambda name: np.fromfile(f"{a.blocks}/{name}", dtype=np.uint16).reshape(-1, S).astype(np.int64)
train_all, seen, dev = load("train_blocks.u16"), load("train_batches.u16"), load("dev_blocks.u16")


def pairs(blocks):
    """(previous, next) token pairs inside each block: [n * (S - 1)] each."""
    return blocks[:, :-1].reshape(-1), blocks[:, 1:].reshape(-1)


class Bigram:
    def __init__(self, blocks):
        # Counts from the blocks in order as one stream: pairs across block boundaries are real text too.
        stream = blocks.reshape(-1)
        self.pair = np.bincount(stream[:-1] * V + stream[1:], minlength=V * V).reshape(V, V).astype(np.float64)
        self.prev = self.pair.sum(1)
        uni = np.bincount(stream, minlength=V).astype(np.float64)
        self.unigram = (uni + 1) / (uni.sum() + V)

    def nll(self, blocks, kind, x):
        v, w = pairs(blocks)
        c, cv = self.pair[v, w], self.prev[v]
        if kind == "add-k":
            p = (c + x) / (cv + x * V)
        else:
            p = np.where(cv > 0, x * c / np.maximum(cv, 1), 0) + (1 - x) * self.unigram[w]
            p = np.where(cv > 0, p, self.unigram[w])
        return float(-np.log(p).mean())


GRID = {"add-k": [1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0], "interpolated": [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98]}
result = {"held_out_blocks": len(dev), "held_out_tokens": int(dev.shape[0] * (S - 1)), "fits": {}}
for name, blocks in [("all_training_blocks", train_all), ("blocks_the_model_saw", seen)]:
    cut = int(len(blocks) * 0.95)
    tune = Bigram(blocks[:cut])
    fit = Bigram(blocks)
    out = {"blocks": len(blocks), "tokens": int(blocks.size)}
    for kind, grid in GRID.items():
        scores = {x: tune.nll(blocks[cut:], kind, x) for x in grid}
        best = min(scores, key=scores.get)
        loss = fit.nll(dev, kind, best)
        out[kind] = {"param": best, "held_out_loss": loss, "held_out_perplexity": math.exp(loss)}
        print(f"{name}: {kind} ({'k' if kind == 'add-k' else 'lambda'} = {best}) held-out loss {loss:.4f}, perplexity {math.exp(loss):.2f}")
    result["fits"][name] = out
if a.out:
    json.dump(result, open(a.out, "w"), indent=2)
