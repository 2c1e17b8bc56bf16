#!/usr/bin/env python3
"""The official SQuAD v1.1 evaluation formula (evaluate-v1.1.py), applied to
/tmp/attn-squad-preds.json written by benchmark.mjs, to confirm that squadV1
gives the same EM/F1. Usage: python3 squad_v1_official_check.py DATASET.json"""
import json
import re
import string
import sys
from collections import Counter


def normalize_answer(s):
    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def f1_score(prediction, ground_truth):
    p = normalize_answer(prediction).split()
    g = normalize_answer(ground_truth).split()
    common = Counter(p) & Counter(g)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(p)
    recall = 1.0 * num_same / len(g)
    return (2 * precision * recall) / (precision + recall)


def main():
    dataset = json.load(open(sys.argv[1]))["data"]
    preds = json.load(open("/tmp/attn-squad-preds.json"))
    em = f1 = total = 0
    for article in dataset:
        for p in article["paragraphs"]:
            for qa in p["qas"]:
                total += 1
                golds = [a["text"] for a in qa["answers"]]
                pred = preds[qa["id"]]
                em += max(normalize_answer(pred) == normalize_answer(g) for g in golds)
                f1 += max(f1_score(pred, g) for g in golds)
    print({"exact_match": 100.0 * em / total, "f1": 100.0 * f1 / total})


if __name__ == "__main__":
    main()
