"""PyTorch side of tools/bench/train.mjs and infer.mjs: the same work as attn on the same batches.

  python torch_bench.py train  --plan P --workload W --model tiny --threads 2
  python torch_bench.py infer  --plan P --workload W --model tiny --threads 2 [--weights DIR]
  python torch_bench.py export --weights DIR --out model.onnx

train: HF BertForSequenceClassification from a BertConfig of the same size, AdamW (lr 1e-4, wd 0.01,
no decay on biases and LayerNorm weights, as HF's Trainer), linear schedule, grad-norm clip 1.0.
infer: eval mode under torch.inference_mode, logits copied to a Python list after every batch.
SST-2 texts are tokenized here with HF's tokenizer.json; sentences whose ids differ from attn's
(@attn/tokenizers) are counted in tokenMismatches. Prints one line `BENCH_RESULT {json}`.
Needs torch + transformers (a venv; Debian's python3-torch has no transformers: not supported).
"""
import argparse
import json
import os
import resource
import sys
import time
import warnings

import torch

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKENIZER_JSON = os.path.join(REPO, "fixtures", "tokenizers", "bert-base-uncased", "tokenizer.json")
SIZES = {
    "tiny": dict(num_hidden_layers=2, hidden_size=128, num_attention_heads=2, intermediate_size=512),
    "mini": dict(num_hidden_layers=4, hidden_size=256, num_attention_heads=4, intermediate_size=1024),
    "small": dict(num_hidden_layers=4, hidden_size=512, num_attention_heads=8, intermediate_size=2048),
    "base": dict(num_hidden_layers=12, hidden_size=768, num_attention_heads=12, intermediate_size=3072),
}


def emit(result):
    result["maxRssKb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print("BENCH_RESULT " + json.dumps(result), flush=True)


def batches_for(plan, name, max_length):
    """The plan's batches as lists of id lists; SST-2 texts re-tokenized by HF's tokenizer."""
    workload = plan["workloads"][name]
    mismatches = 0
    out = []
    tokenizer = None
    for b in workload["batches"]:
        ids = b["ids"]
        if "texts" in b:
            if tokenizer is None:
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(TOKENIZER_JSON)
                tokenizer.no_padding()
                tokenizer.enable_truncation(max_length=max_length)
            hf = [e.ids for e in tokenizer.encode_batch(b["texts"])]
            mismatches += sum(1 for a, h in zip(ids, hf) if list(a) != list(h))
            ids = hf
        out.append({"ids": ids, "labels": b["labels"]})
    return workload, out, mismatches


def collate(batch):
    """Pads to the batch's longest row, as @attn/data's classificationCollator; builds the tensors."""
    length = max(len(r) for r in batch["ids"])
    ids = torch.zeros((len(batch["ids"]), length), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, r in enumerate(batch["ids"]):
        ids[i, : len(r)] = torch.tensor(r, dtype=torch.long)
        mask[i, : len(r)] = 1
    return {
        "input_ids": ids,
        "attention_mask": mask,
        "token_type_ids": torch.zeros_like(ids),
        "labels": torch.tensor(batch["labels"], dtype=torch.long),
    }


def make_model(model_name, weights):
    from transformers import BertConfig, BertForSequenceClassification

    if weights:
        return BertForSequenceClassification.from_pretrained(weights)
    torch.manual_seed(42)
    config = BertConfig(vocab_size=30522, max_position_embeddings=512, type_vocab_size=2, num_labels=2, **SIZES[model_name])
    return BertForSequenceClassification(config)


def train(args, plan):
    workload, batches, mismatches = batches_for(plan, args.workload, plan["maxLength"])
    model = make_model(args.model, args.weights).train()
    if args.gradient_checkpointing:
        model.gradient_checkpointing_enable()
    decay = [p for n, p in model.named_parameters() if not (n.endswith(".bias") or "LayerNorm" in n)]
    no_decay = [p for n, p in model.named_parameters() if n.endswith(".bias") or "LayerNorm" in n]
    params = decay + no_decay
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-4)
    total = len(workload["order"])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, (total - s) / max(1, total)))
    step_ms, sizes, losses = [], [], []
    for k, index in enumerate(workload["order"]):
        t0 = time.perf_counter()
        inputs = collate(batches[index])
        loss = model(**inputs).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
        if k >= plan["warmup"]:
            step_ms.append((time.perf_counter() - t0) * 1000)
            sizes.append(len(batches[index]["ids"]))
    emit({
        "side": "torch",
        "stepMs": step_ms,
        "batchSizes": sizes,
        "firstLoss": losses[0],
        "lastLoss": losses[-1],
        "tokenMismatches": mismatches,
        "attnImplementation": model.config._attn_implementation,
        "gradientCheckpointing": model.is_gradient_checkpointing,
        "parameters": sum(p.numel() for p in model.parameters()),
    })


def infer(args, plan):
    workload, batches, mismatches = batches_for(plan, args.workload, plan["maxLength"])
    model = make_model(args.model, args.weights).eval()
    step_ms, sizes = [], []
    check = None
    with torch.inference_mode():
        for k, index in enumerate(workload["order"]):
            t0 = time.perf_counter()
            inputs = collate(batches[index])
            inputs.pop("labels")
            logits = model(**inputs).logits.tolist()
            if k >= plan["warmup"]:
                step_ms.append((time.perf_counter() - t0) * 1000)
                sizes.append(len(batches[index]["ids"]))
                if check is None:
                    check = [x for row in logits for x in row]
    emit({
        "side": "torch",
        "stepMs": step_ms,
        "batchSizes": sizes,
        "checkLogits": check,
        "tokenMismatches": mismatches,
        "attnImplementation": model.config._attn_implementation,
    })


def export(args):
    """ONNX with dynamic batch and sequence axes, from the weights attn saved (eager attention,
    the plain graph transformers.js-style exports use)."""
    from transformers import BertForSequenceClassification

    model = BertForSequenceClassification.from_pretrained(args.weights, attn_implementation="eager").eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["logits"] = {0: "batch"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), args.out, input_names=names,
                          output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)
    emit({"side": "export", "onnx": args.out, "bytes": os.path.getsize(args.out)})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["train", "infer", "export"])
    p.add_argument("--plan")
    p.add_argument("--workload")
    p.add_argument("--model", choices=sorted(SIZES))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--weights", help="a savePretrained directory written by attn (same weights on both sides)")
    p.add_argument("--out", help="export: the .onnx file to write")
    p.add_argument("--gradient-checkpointing", action="store_true", help="train: model.gradient_checkpointing_enable()")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.mode == "export":
        if not (args.weights and args.out):
            sys.exit("export needs --weights DIR and --out FILE")
        return export(args)
    if not (args.plan and args.workload and args.model):
        sys.exit(f"{args.mode} needs --plan, --workload and --model (tools/bench/{args.mode}.mjs passes them)")
    with open(args.plan) as f:
        plan = json.load(f)
    (train if args.mode == "train" else infer)(args, plan)


if __name__ == "__main__":
    main()
