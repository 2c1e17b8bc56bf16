"""Loads the directories written by save_for_hf.mjs with HuggingFace transformers and compares its outputs with
attn's. Needs torch + transformers (e.g. a venv from the local wheel mirror). Not a CI test.
Usage: python tools/hf-check/check_with_hf.py OUT_DIR"""
import json, sys
import torch
import transformers

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/attn-hf-check"
exp = json.load(open(f"{out}/expected.json"))
inp = {k: torch.tensor(v) for k, v in exp["inputs"].items()}
worst = 0.0
failed = False
for name, e in exp["models"].items():
    cls = getattr(transformers, e.get("class", name))
    model, info = cls.from_pretrained(e["dir"], output_loading_info=True)
    model.eval()
    bad = {k: v for k, v in info.items() if v}
    with torch.no_grad():
        o = model(**({k: torch.tensor(v) for k, v in e["inputs"].items()} if "inputs" in e else inp))
    diffs = {}
    for key, attr in [("last_hidden_state", "last_hidden_state"), ("pooler_output", "pooler_output"), ("logits", "logits"),
                      ("start_logits", "start_logits"), ("end_logits", "end_logits")]:
        if e.get(key) is None:
            continue
        got = getattr(o, attr).flatten().numpy()
        want = torch.tensor(e[key]).numpy()
        diffs[key] = float(abs(got - want).max())
    d = max(diffs.values())
    worst = max(worst, d)
    ok = not bad and d <= 1e-4
    failed |= not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name}: loading info problems {bad or 'none'}, max |hf - attn| {d:.2e} over {sorted(diffs)}")
print(f"transformers {transformers.__version__}, torch {torch.__version__}: worst {worst:.2e}")
sys.exit(1 if failed else 0)
