"""Runs attn's ONNX exports in Python onnxruntime and compares them with HF transformers on the same weights.

Usage: python check_with_hf.py MODEL_DIR ONNX_FILE [MODEL_DIR ONNX_FILE ...]
MODEL_DIR is the HF directory attn exported from (config.json + model.safetensors); the inputs are the
tokenizer.json beside the .onnx file applied to two sentences when there is one, else seeded random ids. Needs
torch, transformers, onnx and onnxruntime (a venv from the local wheel mirror); CI does not run this.
"""
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
import torch
import transformers

TEXTS = ["a gripping, funny and moving film", "it was dull and far too long ."]


def inputs_for(onnx_path, config, input_names):
    tok_path = os.path.join(os.path.dirname(onnx_path), "tokenizer.json")
    if os.path.exists(tok_path):
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(tok_path)
        tok.enable_padding(pad_id=config.pad_token_id or 0)
        enc = tok.encode_batch(TEXTS)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        types = np.array([e.type_ids for e in enc], dtype=np.int64)
    else:
        rng = np.random.default_rng(0)
        ids = rng.integers(3, config.vocab_size, size=(2, 9), dtype=np.int64)
        mask = np.ones_like(ids)
        mask[1, 6:] = 0
        types = np.zeros_like(ids)
    feeds = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in input_names:
        feeds["token_type_ids"] = types
    return feeds


def check(model_dir, onnx_path):
    onnx.checker.check_model(onnx.load(onnx_path), full_check=True)
    config = transformers.AutoConfig.from_pretrained(model_dir)
    arch = config.architectures[0]
    model = getattr(transformers, arch).from_pretrained(model_dir).eval()
    session = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    input_names = [i.name for i in session.get_inputs()]
    if any(n.startswith("past_key_values") for n in input_names):
        raise SystemExit(f"{onnx_path}: causal-LM graphs are checked by packages/onnx/test/onnx_decoder_parity.test.ts")
    feeds = inputs_for(onnx_path, config, input_names)
    got = dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds)))
    with torch.no_grad():
        ref = model(**{k: torch.from_numpy(v) for k, v in feeds.items()})
    worst = 0.0
    for name, value in got.items():
        expected = getattr(ref, name).numpy()
        real = feeds["attention_mask"].astype(bool)
        diff = np.abs(value - expected)
        if diff.ndim >= 2 and diff.shape[:2] == real.shape:
            diff = diff[real]
        worst = max(worst, float(diff.max()))
        print(f"{arch} {os.path.basename(os.path.dirname(onnx_path))}: {name} {list(value.shape)} max |onnxruntime - HF transformers| {diff.max():.2e}")
    return worst


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or len(args) % 2:
        raise SystemExit(__doc__)
    worst = max(check(args[i], args[i + 1]) for i in range(0, len(args), 2))
    print(json.dumps({"worst": worst, "transformers": transformers.__version__, "onnxruntime": ort.__version__}))
    sys.exit(0 if worst < 1e-4 else 1)
