"""PyTorch side of tools/bench/native-kernels.mjs: one BERT fine-tuning step (AdamW) at
batch × seq on CPU, the model built from a transformers BertConfig. Prints JSON seq/s per model.
Usage: python torch_bert_step.py tiny,mini [batch] [seq] [steps]"""
import json
import sys
import time

import torch
from transformers import BertConfig, BertForSequenceClassification

CONFIGS = {
    "tiny": dict(hidden_size=128, num_hidden_layers=2, num_attention_heads=2, intermediate_size=512),
    "mini": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024),
}

models = sys.argv[1].split(",") if len(sys.argv) > 1 else ["tiny"]
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 32
seq = int(sys.argv[3]) if len(sys.argv) > 3 else 128
steps = int(sys.argv[4]) if len(sys.argv) > 4 else 4
torch.set_num_threads(2)
torch.manual_seed(0)
out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
for name in models:
    cfg = BertConfig(vocab_size=30522, max_position_embeddings=512, num_labels=2, **CONFIGS[name])
    model = BertForSequenceClassification(cfg).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    ids = (torch.arange(batch * seq) * 7919 % 30522).reshape(batch, seq)
    labels = torch.arange(batch) % 2

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        opt.step()

    step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    times.sort()
    out[name] = batch / times[len(times) // 2]
print(json.dumps(out))
