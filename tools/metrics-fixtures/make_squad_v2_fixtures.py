#!/usr/bin/env python3
"""Per-question and total SQuAD v2.0 scores for @attn/metrics' squadV2.

The oracle is transformers' `data/metrics/squad_metrics.py`, a port of the
official evaluate-v2.0.py (`compute_exact`, `compute_f1`, `get_raw_scores`,
`squad_evaluate`). Run with any Python that has transformers, e.g.
    /tmp/hfvenv/bin/python tools/metrics-fixtures/make_squad_v2_fixtures.py
Writes packages/metrics/test/fixtures/squad_v2.json (CI only reads it).
"""
import random
from types import SimpleNamespace

import transformers
from fixture_json import write_fixture
from transformers.data.metrics.squad_metrics import compute_exact, compute_f1, get_raw_scores, squad_evaluate

WORDS = ["the", "a", "Denver", "Broncos", "1990", "Santa", "Clara,", "California", "an", "cat", "sat", "on",
         "mat!", "Über", "café", "(1990)", "north-east", "", "  "]


def phrase(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 5)))


def case(rng, name, n, with_probs):
    refs, preds, probs = {}, {}, {}
    for i in range(n):
        qid = f"q{i}"
        golds = [] if rng.random() < 0.35 else [phrase(rng) for _ in range(rng.randint(1, 3))]
        refs[qid] = golds
        r = rng.random()
        if golds and r < 0.3:
            preds[qid] = rng.choice(golds)
        elif r < 0.5:
            preds[qid] = ""
        else:
            preds[qid] = phrase(rng)
        probs[qid] = round(rng.random(), 3)
    examples = [SimpleNamespace(qas_id=q, answers=[{"text": a} for a in refs[q]]) for q in refs]
    exact, f1 = get_raw_scores(examples, preds)
    kw = {"no_answer_probs": probs} if with_probs else {}
    total = dict(squad_evaluate(examples, preds, **kw))
    if not with_probs:  # squad_evaluate always searches thresholds; squadV2 only when given probabilities
        total = {k: v for k, v in total.items() if not k.startswith("best_")}
    pairs = [[g, preds[q], compute_exact(g, preds[q]), compute_f1(g, preds[q])] for q in refs for g in refs[q][:1]]
    return {"name": name, "references": refs, "predictions": preds, "noAnswerProbabilities": probs if with_probs else None,
            "expected": {"exact": exact, "f1": f1, "total": total, "pairs": pairs}}


def main():
    rng = random.Random(20261206)
    cases = [case(rng, f"random {i}", rng.randint(1, 25), i % 2 == 1) for i in range(30)]
    write_fixture("squad_v2", "make_squad_v2_fixtures.py", {"transformers": transformers.__version__}, cases)


if __name__ == "__main__":
    main()
