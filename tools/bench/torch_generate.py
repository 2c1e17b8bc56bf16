"""PyTorch side of tools/bench/generate.mjs: HF generate() with the KV cache on the directory attn saved.
Usage: torch_generate.py DIR BATCH PROMPT_LEN NEW_TOKENS THREADS; prints one BENCH_RESULT line."""
import json, resource, sys, time
import torch
import transformers

d, batch, prompt_len, new_tokens, threads = sys.argv[1], *map(int, sys.argv[2:6])
torch.set_num_threads(threads)
model = transformers.AutoModelForCausalLM.from_pretrained(d)
model.eval()
# The same ids as generate.mjs's prompts(): an LCG over [10, 1000).
s, rows = 12345, []
for _ in range(batch):
    row = []
    for _ in range(prompt_len):
        s = (s * 1103515245 + 12345) % 2147483648
        row.append(10 + s % 990)
    rows.append(row)
ids = torch.tensor(rows)
mask = torch.ones_like(ids)
kw = dict(attention_mask=mask, do_sample=False, eos_token_id=None, pad_token_id=0, use_cache=True)
with torch.inference_mode():
    model.generate(ids, max_new_tokens=2, min_new_tokens=2, **kw)  # warm-up
    t0, c0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    out = model.generate(ids, max_new_tokens=new_tokens, min_new_tokens=new_tokens, **kw)
    seconds, c1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
generated = (out.shape[1] - prompt_len) * out.shape[0]
print("BENCH_RESULT " + json.dumps({
    "side": "pytorch", "version": f"torch {torch.__version__}, transformers {transformers.__version__}, {threads} threads",
    "seconds": seconds, "tokensPerSecond": generated / seconds,
    "cpuMsPerToken": 1000 * (c1.ru_utime - c0.ru_utime + c1.ru_stime - c0.ru_stime) / generated, "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
