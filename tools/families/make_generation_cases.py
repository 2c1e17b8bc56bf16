"""HF generate() on the GPT-2 and Llama micro checkpoints of fixtures/reference/families, in float64, for the
cases the families' own `generation` vectors leave out: EOS stopping, batched left-padded prompts, beam search
with early_stopping True / False / "never" and length penalties other than 1, repetition penalty.
Writes fixtures/reference/generation/hf-generate-cases.json (attn's generate.test.ts compares with it).
Usage: python tools/families/make_generation_cases.py   (torch + transformers 5.18)"""
import json, os
import torch
import transformers

root = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "reference")
ckpts = os.path.join(root, "families", "checkpoints")
PROMPTS = {
    "micro-gpt2-clm": ([320, 400, 170, 708, 158], [146, 59, 815], 384),
    "micro-llama-clm": ([316, 999, 881, 485, 432], [359, 439, 308], 237),
}
CASES = [
    # name, kwargs (besides the prompts), batched
    ("greedy-eos", dict(max_new_tokens=12), True),
    ("greedy-repetition-penalty", dict(max_new_tokens=12, repetition_penalty=1.3), True),
    ("beam-eos", dict(max_new_tokens=8, num_beams=3, num_return_sequences=3, early_stopping=False), False),
    ("beam-eos-early", dict(max_new_tokens=8, num_beams=3, num_return_sequences=2, early_stopping=True), False),
    ("beam-eos-never-lp2", dict(max_new_tokens=8, num_beams=3, num_return_sequences=3, early_stopping="never", length_penalty=2.0), False),
    ("beam-eos-lp05", dict(max_new_tokens=8, num_beams=4, num_return_sequences=2, length_penalty=0.5), False),
    ("beam-batched", dict(max_new_tokens=6, num_beams=2, num_return_sequences=2), True),
    ("beam-repetition-penalty", dict(max_new_tokens=6, num_beams=3, num_return_sequences=1, repetition_penalty=1.5), False),
]
out = {"format": "attn-hf-generate-cases-v1", "made_with": f"torch {torch.__version__}, transformers {transformers.__version__}, float64", "cases": []}
for name, (p0, p1, eos) in PROMPTS.items():
    model = transformers.AutoModelForCausalLM.from_pretrained(os.path.join(ckpts, name)).double().eval()
    for case, kw, batched in CASES:
        prompts = [p0, p1] if batched else [p0]
        width = max(len(p) for p in prompts)
        ids = [[0] * (width - len(p)) + p for p in prompts]
        mask = [[0] * (width - len(p)) + [1] * len(p) for p in prompts]
        with torch.no_grad():
            r = model.generate(torch.tensor(ids), attention_mask=torch.tensor(mask), do_sample=False, eos_token_id=eos, pad_token_id=0,
                               return_dict_in_generate=True, output_scores=True, **kw)
        entry = {"checkpoint": name, "case": case, "input_ids": ids, "attention_mask": mask, "eos_token_id": eos, "pad_token_id": 0,
                 "options": kw, "sequences": r.sequences.tolist()}
        if getattr(r, "sequences_scores", None) is not None:
            entry["sequences_scores"] = r.sequences_scores.tolist()
        out["cases"].append(entry)
path = os.path.join(root, "generation", "hf-generate-cases.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {len(out['cases'])} cases to {path}")
