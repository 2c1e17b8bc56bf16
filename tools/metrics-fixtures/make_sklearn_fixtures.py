#!/usr/bin/env python3
"""Reference numbers and printed reports from scikit-learn for @attn/metrics.

The committed fixture was made with scikit-learn 1.9.1 and numpy 2.4.6 (the
versions are recorded in the JSON), in a virtual environment from the
machines' local wheel mirror:
    python3 -m venv /tmp/skl && PIP_INDEX_URL=<mirror from `pip config list`> \
        /tmp/skl/bin/pip install scikit-learn==1.9.1
    /tmp/skl/bin/python tools/metrics-fixtures/make_sklearn_fixtures.py
It writes packages/metrics/test/fixtures/sklearn.json. CI never runs this
script: the JSON is committed and the TypeScript tests read it.
NaN and infinities are written as the strings "NaN", "Infinity", "-Infinity"
because JSON has no literal for them; `zeroDivision: "nan"` means np.nan.
Each outcome also records the warnings sklearn raised (UndefinedMetricWarning
and the single-label UserWarning), in order, without repeats.
"""
import random

import numpy as np
import sklearn
from fixture_json import attempt as fixture_attempt, write_fixture
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    matthews_corrcoef,
    precision_recall_fscore_support,
)



def kept_warning(w):
    return issubclass(w.category, UndefinedMetricWarning) or "single label" in str(w.message)


def attempt(fn):
    return fixture_attempt(fn, kept_warning)


def evaluate(case):
    yt, yp = case["yTrue"], case["yPred"]
    labels = case.get("labels")
    zd = case.get("zeroDivision", "warn")
    zd = np.nan if zd == "nan" else zd
    beta = case.get("beta", 1.0)
    out = {"accuracy": attempt(lambda: accuracy_score(yt, yp))}
    prfs = {}
    for avg in [None, "micro", "macro", "weighted", "binary"]:
        kw = dict(labels=labels, average=avg, zero_division=zd, beta=beta)
        if avg == "binary" and "posLabel" in case:
            kw["pos_label"] = case["posLabel"]
        prfs[str(avg)] = attempt(lambda: precision_recall_fscore_support(yt, yp, **kw))
    out["prfs"] = prfs
    reports = {}
    for digits in sorted({2, case.get("digits", 2)}):
        reports[str(digits)] = attempt(
            lambda: classification_report(
                yt, yp, labels=labels, target_names=case.get("targetNames"), digits=digits, zero_division=zd
            )
        )
    out["report"] = reports
    out["reportDict"] = attempt(
        lambda: classification_report(
            yt, yp, labels=labels, target_names=case.get("targetNames"), output_dict=True, zero_division=zd
        )
    )
    cms = {}
    # the 130-class case checks summation order; its normalised matrices would only add size
    norms = [None] if case.get("onlyRawConfusion") else [None, "true", "pred", "all"]
    for norm in norms:
        cms[str(norm)] = attempt(lambda: confusion_matrix(yt, yp, labels=labels, normalize=norm))
    out["confusionMatrix"] = cms
    out["matthews"] = attempt(lambda: matthews_corrcoef(yt, yp))
    return out


def hand_cases():
    c = []
    add = lambda name, **kw: c.append(dict(name=name, **kw))
    add("sklearn docstring", yTrue=[0, 1, 2, 2, 2], yPred=[0, 0, 2, 2, 1],
        targetNames=["class 0", "class 1", "class 2"])
    add("sklearn docstring labels 1,2,3", yTrue=[1, 1, 1], yPred=[1, 1, 0], labels=[1, 2, 3])
    add("strings cat dog pig", yTrue=["cat", "dog", "pig", "cat", "dog", "pig"],
        yPred=["cat", "pig", "dog", "cat", "cat", "dog"])
    add("strings label order given", yTrue=["cat", "dog", "pig", "cat", "dog", "pig"],
        yPred=["cat", "pig", "dog", "cat", "cat", "dog"], labels=["pig", "dog", "cat"])
    add("one class all right", yTrue=[1, 1, 1, 1], yPred=[1, 1, 1, 1])
    add("one class zero_division 1", yTrue=[3, 3], yPred=[3, 3], zeroDivision=1)
    add("all wrong binary", yTrue=[0, 0, 1, 1], yPred=[1, 1, 0, 0])
    add("all wrong multiclass", yTrue=[0, 1, 2, 0, 1, 2], yPred=[1, 2, 0, 2, 0, 1])
    add("all wrong zero_division 1", yTrue=[0, 1, 2], yPred=[1, 2, 0], zeroDivision=1)
    add("empty predicted class warn", yTrue=[0, 1, 2, 2], yPred=[0, 0, 0, 0])
    add("empty predicted class zd0", yTrue=[0, 1, 2, 2], yPred=[0, 0, 0, 0], zeroDivision=0)
    add("empty predicted class zd1", yTrue=[0, 1, 2, 2], yPred=[0, 0, 0, 0], zeroDivision=1)
    add("empty true class", yTrue=[0, 0, 0, 0], yPred=[0, 1, 2, 2], zeroDivision=1)
    add("empty predicted class zd nan", yTrue=[0, 1, 2, 2], yPred=[0, 0, 0, 0], zeroDivision="nan")
    add("empty true class zd nan", yTrue=[0, 0, 0, 0], yPred=[0, 1, 2, 2], zeroDivision="nan")
    add("labels absent from data zd nan", yTrue=[0, 0, 1], yPred=[0, 1, 1], labels=[0, 1, 5, 7], zeroDivision="nan")
    add("all labels absent zd nan", yTrue=[0, 0, 1], yPred=[0, 1, 1], labels=[5, 7], zeroDivision="nan")
    add("all labels absent warn", yTrue=[0, 0, 1], yPred=[0, 1, 1], labels=[5, 7])
    add("labels superset gives accuracy row", yTrue=["a", "b", "a"], yPred=["a", "a", "b"], labels=["c", "b", "a"])
    # class 1: tp 1, fp 4, fn 10; 2pr/(p+r) = 0.12500000000000003 prints 0.13, 2tp/(2tp+fp+fn) = 0.125 prints 0.12
    add("f from counts flips a rounded digit", yTrue=[0] * 4 + [1] * 11, yPred=[1] * 4 + [1] + [0] * 10)
    add("labels absent from data zd1", yTrue=[0, 0, 1], yPred=[0, 1, 1], labels=[0, 1, 5, 7], zeroDivision=1)
    add("labels absent from data warn", yTrue=[0, 0, 1], yPred=[0, 1, 1], labels=[0, 1, 5, 7])
    add("labels subset", yTrue=[0, 1, 2, 3, 0, 1, 2, 3], yPred=[0, 2, 2, 3, 1, 1, 0, 3], labels=[1, 3])
    add("labels subset with names", yTrue=[0, 1, 2, 3, 0, 1, 2, 3], yPred=[0, 2, 2, 3, 1, 1, 0, 3],
        labels=[3, 1], targetNames=["three", "one"])
    add("labels reorder all", yTrue=[0, 1, 2, 2, 1], yPred=[0, 2, 2, 1, 1], labels=[2, 0, 1])
    add("labels fewer target names", yTrue=[1, 1], yPred=[1, 1], labels=[0, 1, 2], targetNames=["a", "b"])
    add("target names long", yTrue=[0, 1, 1, 0], yPred=[0, 1, 0, 0],
        targetNames=["a rather long class name", "b"])
    add("target names mismatch error", yTrue=[0, 1, 1, 0], yPred=[0, 1, 0, 0], targetNames=["x"])
    add("ties 0.125 digits 2", yTrue=[0] * 8 + [1] * 8, yPred=[1] + [0] * 7 + [1] * 8, digits=2)
    add("ties 0.5/0.25 digits 1", yTrue=[0, 0, 0, 0, 1, 1, 1, 1], yPred=[0, 1, 1, 1, 1, 0, 0, 0], digits=1)
    add("ties digits 3 0.0625", yTrue=[0] * 16 + [1] * 16, yPred=[1] + [0] * 15 + [1] * 16, digits=3)
    add("digits 4", yTrue=[0, 1, 2, 2, 2, 1, 0, 0, 1], yPred=[0, 0, 2, 2, 1, 1, 2, 0, 1], digits=4)
    add("digits 15 wider than heading", yTrue=[0, 1, 1], yPred=[0, 1, 0], digits=15)
    add("binary pos_label 0", yTrue=[0, 1, 1, 0, 0], yPred=[0, 1, 0, 1, 0], posLabel=0)
    add("binary strings pos_label", yTrue=["spam", "ham", "ham", "spam"], yPred=["spam", "spam", "ham", "ham"],
        posLabel="spam")
    add("binary bad pos_label error", yTrue=[0, 1, 1, 0], yPred=[0, 1, 0, 0], posLabel=2)
    add("binary single class pos_label absent", yTrue=[0, 0, 0], yPred=[0, 0, 0])
    add("beta 0.5", yTrue=[0, 1, 2, 2, 2, 1, 0], yPred=[0, 0, 2, 2, 1, 1, 1], beta=0.5)
    add("beta 2", yTrue=[0, 1, 2, 2, 2, 1, 0], yPred=[0, 0, 2, 2, 1, 1, 1], beta=2.0)
    add("beta 0", yTrue=[0, 1, 2, 2, 2, 1, 0], yPred=[0, 0, 2, 2, 1, 1, 1], beta=0.0)
    add("negative and sparse int labels", yTrue=[-1, 5, 100, 5, -1], yPred=[5, 5, 100, -1, -1])
    add("unicode target names", yTrue=[0, 1, 1], yPred=[1, 1, 0], targetNames=["café", "naïve"])
    add("string labels lexicographic", yTrue=["b", "B", "a", "10", "9"], yPred=["B", "b", "a", "9", "9"])
    add("empty inputs", yTrue=[], yPred=[])
    add("empty inputs with labels", yTrue=[], yPred=[], labels=[0, 1])
    add("confusion labels not in y_true error", yTrue=[0, 0], yPred=[1, 1], labels=[1])
    add("more than 8 classes pairwise sums",
        yTrue=[i % 11 for i in range(37)], yPred=[(i * 7) % 11 for i in range(37)])
    add("many classes 130", yTrue=[i % 130 for i in range(400)], yPred=[(i * i) % 130 for i in range(400)],
        onlyRawConfusion=True)
    return c


def random_cases(rng, n_cases):
    cases = []
    names = ["PER", "LOC", "ORG", "MISC", "neg", "pos", "neutral", "x"]
    for i in range(n_cases):
        k = rng.randint(1, 7)
        n = rng.randint(1, 60)
        strings = rng.random() < 0.3
        pool = rng.sample(names, k) if strings else rng.sample(range(0, 9), k)
        # skewed distributions produce empty classes and ties
        weights = [rng.random() ** 3 for _ in pool]
        yt = rng.choices(pool, weights=weights, k=n)
        acc = rng.random()
        yp = [t if rng.random() < acc else rng.choice(pool) for t in yt]
        case = dict(name=f"random {i}", yTrue=yt, yPred=yp)
        r = rng.random()
        if r < 0.15:
            case["labels"] = rng.sample(pool, rng.randint(1, k))
        elif r < 0.25:
            extra = ["zzz"] if strings else [42]
            case["labels"] = sorted(pool, key=str) + extra if not strings else sorted(pool) + extra
        if rng.random() < 0.2 and "labels" not in case:
            present = sorted(set(yt) | set(yp), key=lambda v: v)
            case["targetNames"] = [f"class {v}" for v in present]
        case["zeroDivision"] = rng.choice(["warn", 0, 1]) if rng.random() < 0.85 else "nan"
        case["digits"] = rng.choice([2, 2, 4, 3])
        if rng.random() < 0.15:
            case["beta"] = rng.choice([0.5, 2.0, 3.0])
        if k == 2 and rng.random() < 0.5:
            case["posLabel"] = pool[1]
        cases.append(case)
    return cases


def main():
    rng = random.Random(20261129)
    cases = hand_cases() + random_cases(rng, 160)
    for case in cases:
        case["expected"] = evaluate(case)
    write_fixture("sklearn", "make_sklearn_fixtures.py", {"sklearn": sklearn.__version__, "numpy": np.__version__}, cases)


if __name__ == "__main__":
    main()
