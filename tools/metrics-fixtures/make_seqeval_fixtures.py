#!/usr/bin/env python3
"""Reference numbers, reports and warnings from seqeval 1.2.2 for @attn/metrics.

seqeval is not packaged for Debian and not on the machines' wheel mirror, so
this script imports it from a source checkout of its v1.2.2 tag (it needs only
numpy and scikit-learn, e.g. the venv of make_sklearn_fixtures.py):

    git -C /path/to/seqeval archive v1.2.2 seqeval | tar -x -C /tmp/seqeval-1.2.2
    /tmp/skl/bin/python tools/metrics-fixtures/make_seqeval_fixtures.py /tmp/seqeval-1.2.2

Writes packages/metrics/test/fixtures/seqeval.json (CI only reads it). Each
case holds `performance_measure`, `get_entities` on the nested list (joined
offsets), the strict-mode entities per sentence (seqeval's Entity tuples),
precision/recall/F1 for every average in default and strict mode,
`classification_report` (string and dict), and the warnings each call
raised (not numpy's RuntimeWarnings), in order, without repeats. NaN is written as the string "NaN".
"""
import random
import sys

import numpy as np

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "/tmp/seqeval-1.2.2")
import seqeval  # noqa: E402
from fixture_json import attempt as fixture_attempt, write_fixture  # noqa: E402
from seqeval.metrics import (  # noqa: E402
    classification_report,
    f1_score,
    performance_measure,
    precision_score,
    recall_score,
)
from seqeval.metrics.sequence_labeling import get_entities, precision_recall_fscore_support  # noqa: E402
from seqeval.metrics.v1 import precision_recall_fscore_support as strict_prfs  # noqa: E402
from seqeval.scheme import IOB2, IOBES, IOE2, BILOU, Entities  # noqa: E402

SCHEMES = {"IOB2": IOB2, "IOE2": IOE2, "IOBES": IOBES, "BILOU": BILOU}
TYPES = ["PER", "LOC", "ORG", "MISC"]


def attempt(fn):
    # numpy's RuntimeWarnings (mean of an empty slice) are not seqeval's own
    return fixture_attempt(fn, lambda w: not issubclass(w.category, RuntimeWarning))


def sentence(rng, scheme, n):
    """Tags of one sentence, well formed for `scheme` most of the time."""
    tags = []
    while len(tags) < n:
        if rng.random() < 0.45:
            tags.append("O")
            continue
        t = rng.choice(TYPES)
        k = rng.randint(1, 3)
        if scheme == "IOB2":
            chunk = [f"B-{t}"] + [f"I-{t}"] * (k - 1)
        elif scheme == "IOE2":
            chunk = [f"I-{t}"] * (k - 1) + [f"E-{t}"]
        elif scheme == "IOBES":
            chunk = [f"S-{t}"] if k == 1 else [f"B-{t}"] + [f"I-{t}"] * (k - 2) + [f"E-{t}"]
        else:
            chunk = [f"U-{t}"] if k == 1 else [f"B-{t}"] + [f"I-{t}"] * (k - 2) + [f"L-{t}"]
        tags.extend(chunk)
    return tags[:n]


def perturb(rng, tags, scheme, rate):
    prefixes = {"IOB2": "BI", "IOE2": "IE", "IOBES": "BIES", "BILOU": "BILU"}[scheme]
    out = []
    for tag in tags:
        r = rng.random()
        if r >= rate:
            out.append(tag)
        elif r < rate / 3:
            out.append("O")
        else:
            out.append(f"{rng.choice(prefixes)}-{rng.choice(TYPES)}")
    return out


def evaluate(case):
    yt, yp = case["yTrue"], case["yPred"]
    zd = case.get("zeroDivision", "warn")
    out = {
        "performanceMeasure": attempt(lambda: performance_measure(yt, yp)),
        "entitiesTrue": attempt(lambda: get_entities(yt)),
        "entitiesPred": attempt(lambda: get_entities(yp)),
    }
    modes = {"default": {}}
    if "scheme" in case:
        scheme = SCHEMES[case["scheme"]]
        modes["strict"] = {"mode": "strict", "scheme": scheme}
        out["strictEntitiesTrue"] = attempt(
            lambda: [[e.to_tuple() for e in sent] for sent in Entities(yt, scheme).entities]
        )
    for name, kw in modes.items():
        m = {}
        for avg in [None, "micro", "macro", "weighted"]:
            m[f"prfs.{avg}"] = attempt(
                lambda: precision_recall_fscore_support(yt, yp, average=avg, zero_division=zd)
                if name == "default"
                else strict_prfs(yt, yp, average=avg, zero_division=zd, mode="strict", scheme=kw["scheme"])
            )
        m["f1.micro"] = attempt(lambda: f1_score(yt, yp, zero_division=zd, **kw))
        m["precision.micro"] = attempt(lambda: precision_score(yt, yp, zero_division=zd, **kw))
        m["recall.micro"] = attempt(lambda: recall_score(yt, yp, zero_division=zd, **kw))
        m["report"] = attempt(lambda: classification_report(yt, yp, digits=case.get("digits", 2), zero_division=zd, **kw))
        m["reportDict"] = attempt(lambda: classification_report(yt, yp, output_dict=True, zero_division=zd, **kw))
        out[name] = m
    return out


def hand_cases():
    c = []
    add = lambda name, **kw: c.append(dict(name=name, **kw))
    add("seqeval performance_measure docstring",
        yTrue=[["O", "O", "O", "B-MISC", "I-MISC", "O", "B-ORG"], ["B-PER", "I-PER", "O", "B-PER"]],
        yPred=[["O", "O", "B-MISC", "I-MISC", "I-MISC", "O", "O"], ["B-PER", "I-PER", "O", "B-MISC"]],
        scheme="IOB2")
    add("no entities anywhere", yTrue=[["O", "O"], ["O"]], yPred=[["O", "O"], ["O"]])
    add("no predicted entities", yTrue=[["B-PER", "O"], ["B-LOC"]], yPred=[["O", "O"], ["O"]], scheme="IOB2")
    add("no true entities", yTrue=[["O", "O"], ["O"]], yPred=[["B-PER", "O"], ["O"]], scheme="IOB2")
    add("no true entities zero_division 1", yTrue=[["O", "O"]], yPred=[["B-PER", "O"]], zeroDivision=1)
    add("tags that are not NE tags", yTrue=[["PER", "B-LOC", "X"], ["O"]], yPred=[["PER", "B-LOC", "O"], ["X"]])
    add("strict drops a chunk without its end", yTrue=[["B-PER", "E-PER", "S-LOC"]], yPred=[["B-PER", "I-PER", "S-LOC"]],
        scheme="IOBES")
    add("sentence offsets differ from joined", yTrue=[["B-PER"], ["O", "B-LOC", "I-LOC"], ["B-ORG"]],
        yPred=[["B-PER"], ["O", "B-LOC", "O"], ["B-ORG"]], scheme="IOB2")
    return c


def random_cases(rng, n):
    cases = []
    for i in range(n):
        scheme = rng.choice(list(SCHEMES))
        yt = [sentence(rng, scheme, rng.randint(1, 12)) for _ in range(rng.randint(1, 6))]
        yp = [perturb(rng, s, scheme, rng.random() * 0.6) for s in yt]
        case = dict(name=f"random {i} {scheme}", yTrue=yt, yPred=yp)
        case["scheme"] = scheme
        case["zeroDivision"] = rng.choice(["warn", "warn", 0, 1])
        case["digits"] = rng.choice([2, 2, 4])
        cases.append(case)
    return cases


def main():
    rng = random.Random(20261206)
    cases = hand_cases() + random_cases(rng, 60)
    for case in cases:
        case["expected"] = evaluate(case)
    write_fixture("seqeval", "make_seqeval_fixtures.py", {"seqeval": getattr(seqeval, "__version__", "1.2.2"), "numpy": np.__version__}, cases)


if __name__ == "__main__":
    main()
