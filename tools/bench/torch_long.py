"""PyTorch side of tools/bench/long.mjs: forward + backward of a BERT-mini-like classifier with 2048 positions.

  python torch_long.py --batch 8 --seq 512 --steps 2 --warmup 1 --threads 2 [--attn sdpa] [--weights DIR]

HF BertForSequenceClassification (L4/H256/A4/I1024, max_position_embeddings 2048) in train mode (dropout
0.1 as in BERT), random token ids with every position valid, attn_implementation 'sdpa' by default. One step
is loss.backward() with gradients set to None between steps (no optimizer: the bench measures attention's
activations, and both sides do the same). With --weights, the model and the ids (ids.json) are the ones an attn
side saved there, and the eval-mode logits of the check batch (the last sequence's second half padded, as
long.mjs) are returned for the logit comparison. Prints one line `BENCH_RESULT {json}` with step times and peak RSS.
"""
import argparse
import json
import resource
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--seq", type=int, required=True)
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--attn", default="sdpa")
    ap.add_argument("--weights")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    from transformers import BertConfig, BertForSequenceClassification

    config = BertConfig(
        num_hidden_layers=4, hidden_size=256, num_attention_heads=4, intermediate_size=1024,
        max_position_embeddings=2048, num_labels=2, attn_implementation=a.attn,
    )
    if a.weights:
        model = BertForSequenceClassification.from_pretrained(a.weights, attn_implementation=a.attn)
    else:
        model = BertForSequenceClassification(config)
    assert model.config._attn_implementation == a.attn, model.config._attn_implementation
    model.train()
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(1000, 30000, (a.batch, a.seq), generator=g)
    if a.weights:
        with open(f"{a.weights}/ids.json") as f:
            ids = torch.tensor(json.load(f), dtype=torch.long).reshape(a.batch, a.seq)
    mask = torch.ones_like(ids)
    labels = torch.randint(0, 2, (a.batch,), generator=g)
    step_ms, step_cpu_ms = [], []
    loss = None
    for i in range(a.warmup + a.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        out = model(input_ids=ids, attention_mask=mask, labels=labels)
        out.loss.backward()
        loss = out.loss.detach().item()
        for p in model.parameters():
            p.grad = None
        if i >= a.warmup:
            step_ms.append((time.perf_counter() - t0) * 1000)
            step_cpu_ms.append((time.process_time() - c0) * 1000)
    check = None
    if a.weights:
        model.eval()
        check_mask = torch.ones_like(ids)
        check_mask[-1, (a.seq + 1) // 2:] = 0
        with torch.no_grad():
            check = model(input_ids=ids, attention_mask=check_mask).logits.flatten().tolist()
    result = {
        "side": f"pytorch-{a.attn}",
        "checkLogits": check,
        "torch": torch.__version__,
        "stepMs": step_ms,
        "stepCpuMs": step_cpu_ms,
        "loss": loss,
        "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    print("BENCH_RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
