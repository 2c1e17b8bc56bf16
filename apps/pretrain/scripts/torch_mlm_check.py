"""PyTorch cross-check and recipe search for `attn-pretrain train` (never needed by CI): HF BertForMaskedLM with the
same size, data (attn-pretrain's packed-id cache files, next to --output-dir), masking (80/10/10), AdamW groups, warm-up +
linear decay, clipping and batch, printing held-out MLM loss / masked accuracy every --eval-every steps.
  /tmp/hfvenv/bin/python apps/pretrain/scripts/torch_mlm_check.py TRAIN_CACHE.json HELDOUT_CACHE.json STEPS [--seq-len 32 --mask-rate 0.4 ...]
Used to check that attn's MLM plateau (~6.2 nats with the 8k vocabulary after a few thousand steps) is
the model's, not a bug (step 1,000: PyTorch 6.245 vs attn 6.286), and to find a recipe that leaves it
(--seq-len re-chunks the 128-token segments into shorter ones, [CLS] … [SEP])."""
import argparse, json, time, torch, random
from transformers import BertConfig, BertForMaskedLM
ap = argparse.ArgumentParser()
ap.add_argument('train'); ap.add_argument('heldout'); ap.add_argument('steps', type=int)
ap.add_argument('--seq-len', type=int, default=128); ap.add_argument('--batch-size', type=int, default=32)
ap.add_argument('--lr', type=float, default=2e-3); ap.add_argument('--warmup', type=int, default=300)
ap.add_argument('--total', type=int, default=6000); ap.add_argument('--mask-rate', type=float, default=0.15)
ap.add_argument('--beta2', type=float, default=0.999); ap.add_argument('--eval-every', type=int, default=250)
ap.add_argument('--vocab', type=int, default=8192); ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--layers', type=int, default=2); ap.add_argument('--hidden', type=int, default=128)
a = ap.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(0); random.seed(0)
CLS, SEP, MASK = 2, 3, 4
def rechunk(segs, n):
    if n >= len(segs[0]): return segs
    flat = [t for s in segs for t in s if t not in (CLS, SEP)]
    return [[CLS] + flat[i:i + n - 2] + [SEP] for i in range(0, len(flat) - (n - 2) + 1, n - 2)]
segs = rechunk(json.load(open(a.train)), a.seq_len)
held = json.load(open(a.heldout))[:256]  # always the same held-out text: 256 × 128 tokens
held = rechunk(held, a.seq_len)
cfg = BertConfig(vocab_size=a.vocab, hidden_size=a.hidden, num_hidden_layers=a.layers, num_attention_heads=a.hidden // 64, intermediate_size=4 * a.hidden, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
model = BertForMaskedLM(cfg)
nd = [p for n,p in model.named_parameters() if 'bias' in n or 'LayerNorm' in n]
d = [p for n,p in model.named_parameters() if not ('bias' in n or 'LayerNorm' in n)]
opt = torch.optim.AdamW([{'params': d, 'weight_decay': 0.01}, {'params': nd, 'weight_decay': 0.0}], lr=a.lr, betas=(0.9, a.beta2))
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s/a.warmup if s < a.warmup else max(0.0, (a.total-s)/(a.total-a.warmup)))
def mask(batch, g, rate):
    ids = torch.tensor(batch); labels = ids.clone()
    special = (ids == CLS) | (ids == SEP) | (ids == 0)
    prob = torch.full(ids.shape, rate); prob[special] = 0
    m = torch.bernoulli(prob, generator=g).bool(); labels[~m] = -100
    rep = torch.bernoulli(torch.full(ids.shape, 0.8), generator=g).bool() & m
    ids[rep] = MASK
    rnd = torch.bernoulli(torch.full(ids.shape, 0.5), generator=g).bool() & m & ~rep
    ids[rnd] = torch.randint(a.vocab, ids.shape, generator=g)[rnd]
    return ids, labels
g = torch.Generator().manual_seed(1)
def evaluate():
    # held-out at the standard 15% rate whatever the training rate, so runs compare
    model.eval(); ge = torch.Generator().manual_seed(1234); tot=0; n=0; corr=0
    with torch.no_grad():
        for i in range(0, len(held), 64):
            ids, lab = mask(held[i:i+64], ge, 0.15)
            out = model(input_ids=ids, labels=lab)
            k = (lab != -100).sum().item(); tot += out.loss.item()*k; n += k
            corr += ((out.logits.argmax(-1) == lab) & (lab != -100)).sum().item()
    model.train(); return tot/n, corr/n
order = list(range(len(segs))); random.shuffle(order)
print(f'{len(segs)} training segments of {a.seq_len}; {vars(a)}', flush=True)
t0 = time.time()
for s in range(1, a.steps+1):
    b = [segs[order[(s*a.batch_size+j) % len(order)]] for j in range(a.batch_size)]
    ids, lab = mask(b, g, a.mask_rate)
    loss = model(input_ids=ids, labels=lab).loss
    loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step(); sched.step(); opt.zero_grad()
    if s % a.eval_every == 0:
        l, acc = evaluate(); print(f'step {s} tokens {s*a.batch_size*a.seq_len/1e6:.2f}M train {loss.item():.3f} heldout {l:.3f} acc {100*acc:.2f}% {time.time()-t0:.0f}s', flush=True)
