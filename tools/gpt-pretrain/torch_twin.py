"""The PyTorch twin of an `attn-generate train --config ... --tokenizer ...` run: HF transformers' model class
(from the run's <out>/init, i.e. attn's initial weights), float32, the same token blocks in the same order
(dump-blocks.mjs), the same steps, AdamW (betas 0.9/0.999, eps 1e-8, no weight decay, as the app), linear
schedule with ceil(5% of steps) warm-up, gradient clipping at 1.0. Logs the mean training loss every
--logging-steps updates (as attn's log.jsonl) and the held-out loss / perplexity of the final weights.

  /tmp/hfvenv/bin/python tools/gpt-pretrain/torch_twin.py --init /tmp/gpt/run/init --blocks /tmp/gpt/blocks \
    --lr 1e-3 --logging-steps 10 --out /tmp/gpt/torch.jsonl
"""
import argparse
import json
import math
import time

import numpy as np
import torch
from transformers import AutoModelForCausalLM

ap = argparse.ArgumentParser()
ap.add_argument("--init", required=True)
ap.add_argument("--blocks", required=True)
ap.add_argument("--lr", type=float, required=True)
ap.add_argument("--warmup-ratio", type=float, default=0.05)
ap.add_argument("--max-grad-norm", type=float, default=1.0)
ap.add_argument("--logging-steps", type=int, default=10)
ap.add_argument("--eval-batch-size", type=int, default=16)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--out", required=True)
a = ap.parse_args()

torch.set_num_threads(a.threads)
torch.backends.cuda.matmul.allow_tf32 = False
meta = json.load(open(f"{a.blocks}/meta.json"))
B, S, T = meta["batchSize"], meta["blockSize"], meta["steps"]
batches = np.fromfile(f"{a.blocks}/train_batches.u16", dtype=np.uint16).reshape(T, B, S).astype(np.int64)
dev = np.fromfile(f"{a.blocks}/dev_blocks.u16", dtype=np.uint16).reshape(-1, S).astype(np.int64)

model = AutoModelForCausalLM.from_pretrained(a.init, torch_dtype=torch.float32, attn_implementation="eager")
model.train()
opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
warmup = math.ceil(T * a.warmup_ratio)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / max(1, warmup) if s < warmup else max(0.0, (T - s) / max(1, T - warmup)))

log = open(a.out, "w")
window, start = [], time.time()
for step in range(T):
    ids = torch.from_numpy(batches[step])
    loss = model(input_ids=ids, labels=ids).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), a.max_grad_norm)
    lr = opt.param_groups[0]["lr"]
    opt.step()
    sched.step()
    opt.zero_grad(set_to_none=True)
    window.append(loss.item())
    if (step + 1) % a.logging_steps == 0:
        rec = {"step": step + 1, "loss": sum(window) / len(window), "learning_rate": lr, "elapsed_s": round(time.time() - start, 1)}
        log.write(json.dumps(rec) + "\n")
        log.flush()
        window = []

model.eval()
nll, n = 0.0, 0
with torch.no_grad():
    for i in range(0, len(dev), a.eval_batch_size):
        ids = torch.from_numpy(dev[i : i + a.eval_batch_size])
        tokens = ids.shape[0] * (S - 1)
        nll += model(input_ids=ids, labels=ids).loss.item() * tokens
        n += tokens
rec = {"step": T, "eval_loss": nll / n, "eval_perplexity": math.exp(nll / n), "eval_tokens": n, "train_s": round(time.time() - start, 1)}
log.write(json.dumps(rec) + "\n")
log.close()
print(json.dumps(rec))
