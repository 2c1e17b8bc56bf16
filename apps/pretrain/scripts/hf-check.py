"""Loads an exported attn MLM directory with HF transformers and checks it agrees with attn.

Needs a Python with torch + transformers (never needed by CI):
    /tmp/hfvenv/bin/python apps/pretrain/scripts/hf-check.py models/attn-bert-tiny
Checks: no missing/unexpected weights; HF's fast tokenizer reads tokenizer.json; the top-5 fill-mask
tokens equal the ones attn recorded in pretrain_metrics.json at export.
"""
import json
import sys

import torch
from transformers import BertForMaskedLM, PreTrainedTokenizerFast

d = sys.argv[1]
model, info = BertForMaskedLM.from_pretrained(d, output_loading_info=True)
model.eval()
# HF re-ties cls.predictions.decoder.weight to the word embeddings; it is never in the file.
bad = {
    "missing_keys": [k for k in info["missing_keys"] if "decoder" not in k],
    "unexpected_keys": list(info["unexpected_keys"]),
    "mismatched_keys": list(info["mismatched_keys"]),
}
bad = {k: v for k, v in bad.items() if v}
tok = PreTrainedTokenizerFast(tokenizer_file=f"{d}/tokenizer.json", mask_token="[MASK]")
recorded = json.load(open(f"{d}/pretrain_metrics.json"))["fill_mask"]
ok = not bad
for ex in recorded:
    enc = tok(ex["text"], return_tensors="pt")
    with torch.no_grad():
        logits = model(**enc).logits[0]
    pos = (enc["input_ids"][0] == tok.mask_token_id).nonzero().flatten().tolist()
    hf = [tok.convert_ids_to_tokens(logits[p].topk(5).indices.tolist()) for p in pos]
    same = hf == ex["top5"]
    ok &= same
    print(("same " if same else "DIFF ") + ex["text"], hf, "" if same else ex["top5"])
print("loading info:", bad or "clean")
print("OK" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
