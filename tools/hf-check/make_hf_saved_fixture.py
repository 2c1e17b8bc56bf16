"""Writes tiny checkpoints saved by HuggingFace transformers' own save_pretrained (random weights, seeded) and
their outputs on fixed inputs, into packages/models/test/fixtures/hf-saved. The test
packages/models/test/hf_saved_checkpoints.test.ts loads them with attn's fromPretrained: the HF -> attn direction
with files exactly as current transformers writes them (BertModel keys without `bert.`, tied MLM decoder omitted).
Needs torch + transformers; CI only reads the committed output. Usage: python make_hf_saved_fixture.py [OUT]"""
import json, os, sys
import torch
import transformers
from transformers import BertConfig

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../packages/models/test/fixtures/hf-saved")
torch.manual_seed(20261129)
cfg = dict(vocab_size=128, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=48,
           max_position_embeddings=16, type_vocab_size=2, initializer_range=0.3)
inputs = {
    "input_ids": [[101 % 128, 45, 67, 103 % 128, 102 % 128, 0], [101 % 128, 15, 81, 40, 99, 102 % 128]],
    "attention_mask": [[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1]],
    "token_type_ids": [[0, 0, 0, 1, 1, 0], [0, 0, 0, 0, 0, 0]],
}
t = {k: torch.tensor(v) for k, v in inputs.items()}
expected = {"transformers": transformers.__version__, "torch": torch.__version__, "inputs": inputs, "models": {}}
for name, extra in [("BertModel", {}), ("BertForTokenClassification", {"num_labels": 3}), ("BertForMaskedLM", {})]:
    model = getattr(transformers, name)(BertConfig(**cfg, **extra)).eval()
    with torch.no_grad():
        # move LayerNorms and biases off 1/0 so a dropped tensor shows in the outputs
        for n, p in model.named_parameters():
            if n.endswith("bias") or "LayerNorm" in n:
                p.add_(torch.randn_like(p) * 0.1)
        o = model(**t)
    d = os.path.join(out, name)
    model.save_pretrained(d)
    e = {}
    for k in ["last_hidden_state", "pooler_output", "logits"]:
        v = getattr(o, k, None)
        if v is not None:
            e[k] = {"shape": list(v.shape), "data": [round(float(x), 7) for x in v.flatten()]}
    expected["models"][name] = e
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f)
print("wrote", out)
