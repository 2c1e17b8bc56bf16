"""Optuna's side of tools/bench/tune_samplers.mjs: the same objectives, seeds and trial counts.

Reads a JSON job on stdin ({"seeds", "trials", "noise": {seed: [..]}}), prints a JSON result:
for each function and sampler, the true value of the best-so-far trial after each trial, per seed,
and the seconds spent in ask (+ suggest) for every trial.
"""
import json
import math
import sys
import time
from pathlib import Path

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)

OBJ = json.loads((Path(__file__).parent / "tune_objectives.json").read_text())

A6 = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P6 = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
      [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
ALPHA = [1.0, 1.2, 3.0, 3.2]


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    return (x2 - 5.1 / (4 * math.pi**2) * x1**2 + 5 / math.pi * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


def hartmann6(p):
    x = [p[f"x{i}"] for i in range(6)]
    return -sum(ALPHA[i] * math.exp(-sum(A6[i][j] * (x[j] - P6[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4))


def lr_curve(p):
    # A fine-tuning loss against log10(lr): a parabola around 5e-4, then divergence past ~3e-3.
    x = math.log10(p["lr"])
    return 0.25 + 0.3 * (x + 3.3) ** 2 + (1.5 * (x + 2.5) if x > -2.5 else 0.0)


FUNCS = {"branin": branin, "hartmann6": hartmann6, "lr_curve": lr_curve}


def suggest(trial, space):
    out = {}
    for name, s in space.items():
        out[name] = trial.suggest_float(name, s["low"], s["high"], log=s.get("log", False))
    return out


def run(fname, sampler_name, seed, n_trials, noise):
    f = FUNCS[fname]
    space = OBJ[fname]["space"]
    if sampler_name == "random":
        sampler = optuna.samplers.RandomSampler(seed=seed)
    elif sampler_name == "tpe":
        sampler = optuna.samplers.TPESampler(seed=seed)  # Optuna 5: multivariate by default
    else:
        sampler = optuna.samplers.TPESampler(seed=seed, multivariate=False)
    study = optuna.create_study(sampler=sampler, direction="minimize")
    best_obs, best_true, curve, ask_s = math.inf, math.inf, [], []
    for i in range(n_trials):
        t0 = time.perf_counter()
        trial = study.ask()
        params = suggest(trial, space)
        ask_s.append(time.perf_counter() - t0)
        true = f(params)
        observed = true + (noise[i] if noise else 0.0)
        study.tell(trial, observed)
        if observed < best_obs:
            best_obs, best_true = observed, true
        curve.append(best_true)
    return curve, ask_s


def main():
    job = json.load(sys.stdin)
    out = {"optuna": optuna.__version__, "results": {}}
    for fname in job["functions"]:
        for sampler_name in job["samplers"]:
            curves, asks = [], []
            for seed in range(job["seeds"]):
                noise = job["noise"][str(seed)] if fname == "lr_curve" else None
                c, a = run(fname, sampler_name, seed, job["trials"], noise)
                curves.append(c)
                asks.append(a)
            out["results"][f"{fname}/{sampler_name}"] = {"curves": curves, "ask_s": asks}
            print(f"optuna {fname} {sampler_name} done", file=sys.stderr)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
