#!/usr/bin/env python3
"""Reference entity counts from conlleval for @attn/metrics' seqeval default mode.

seqeval's default mode is documented as conlleval-compatible, and seqeval is
not packaged for Debian, so the oracle here is the CoNLL shared-task script
itself (perl, Erik Tjong Kim Sang, version 2004-01-26). It is not in this
repository: pass the path of a copy, e.g. the one in seqeval's tests/.

    python3 tools/metrics-fixtures/make_conlleval_fixtures.py /path/to/conlleval.pl

Writes packages/metrics/test/fixtures/conlleval.json. Only IOB tags (B-, I-,
O) are generated: for those, conlleval and seqeval define chunks identically
(conlleval does not know S- tags, and treats E- differently from seqeval).
"""
import json
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "packages", "metrics", "test", "fixtures", "conlleval.json")
TYPES = ["PER", "LOC", "ORG", "MISC", "ORG-SUB"]


def random_gold(rng, n):
    tags = []
    while len(tags) < n:
        if rng.random() < 0.5:
            tags.append("O")
            continue
        t = rng.choice(TYPES)
        length = rng.randint(1, 4)
        # IOB2 mostly, some IOB1-style chunks that start with I-
        first = "B" if rng.random() < 0.8 else "I"
        tags.extend([f"{first}-{t}"] + [f"I-{t}"] * (length - 1))
    return tags[:n]


def perturb(rng, gold, rate):
    out = []
    for tag in gold:
        r = rng.random()
        if r >= rate:
            out.append(tag)
            continue
        kind = rng.randrange(4)
        if kind == 0:
            out.append("O")
        elif kind == 1 and tag != "O":
            out.append(("I" if tag[0] == "B" else "B") + tag[1:])  # boundary error
        elif kind == 2 and tag != "O":
            out.append(tag[:2] + rng.choice(TYPES))  # type switch inside a chunk
        else:
            prefix = rng.choice(["O", "B", "I"])  # any tag, including I- after O
            out.append("O" if prefix == "O" else f"{prefix}-{rng.choice(TYPES)}")
    return out


def run_conlleval(script, y_true, y_pred):
    lines = []
    for st, sp in zip(y_true, y_pred):
        for i, (t, p) in enumerate(zip(st, sp)):
            lines.append(f"w{i} {t} {p}")
        lines.append("")
    out = subprocess.run(["perl", script], input="\n".join(lines) + "\n", capture_output=True, text=True, check=True).stdout
    head = re.search(r"processed (\d+) tokens with (\d+) phrases; found: (\d+) phrases; correct: (\d+)\.", out)
    res = {
        "tokens": int(head.group(1)),
        "truePhrases": int(head.group(2)),
        "foundPhrases": int(head.group(3)),
        "correctPhrases": int(head.group(4)),
    }
    m = re.search(r"accuracy:\s*([\d.]+)%; precision:\s*([\d.]+)%; recall:\s*([\d.]+)%; FB1:\s*([\d.]+)", out)
    if m:
        res.update(accuracy=float(m.group(1)), precision=float(m.group(2)), recall=float(m.group(3)), fb1=float(m.group(4)))
    per = {}
    for m in re.finditer(r"^\s*(\S+): precision:\s*([\d.]+)%; recall:\s*([\d.]+)%; FB1:\s*([\d.]+)\s+(\d+)$", out, re.M):
        per[m.group(1)] = {"precision": float(m.group(2)), "recall": float(m.group(3)), "fb1": float(m.group(4)), "found": int(m.group(5))}
    res["perType"] = per
    return res


def main():
    script = sys.argv[1]
    rng = random.Random(2003)
    cases = []
    for k in range(80):
        n_sent = rng.randint(1, 10)
        y_true = [random_gold(rng, rng.randint(0 if k % 7 == 0 else 1, 14)) for _ in range(n_sent)]
        rate = rng.choice([0.0, 0.05, 0.15, 0.4, 1.0])
        y_pred = [perturb(rng, s, rate) for s in y_true]
        if sum(len(s) for s in y_true) == 0:
            continue
        cases.append({"name": f"random {k} (noise {rate})", "yTrue": y_true, "yPred": y_pred, "conlleval": run_conlleval(script, y_true, y_pred)})
    with open(OUT, "w") as f:
        json.dump({"generator": "tools/metrics-fixtures/make_conlleval_fixtures.py", "oracle": "conlleval.pl 2004-01-26", "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
