"""PyTorch cross-check of pretrain.mjs's learning curve (never needed by CI): HF BertForMaskedLM with the
same size, data (pretrain.mjs's packed-id cache files), masking (15%: 80/10/10), AdamW groups, warm-up +
linear decay, clipping and batch, printing held-out MLM loss / masked accuracy every 250 steps.
  /tmp/hfvenv/bin/python tools/pretrain/torch_mlm_check.py TRAIN_CACHE.json HELDOUT_CACHE.json STEPS
Used to check that attn's MLM plateau (~6.2 nats with the 8k vocabulary after a few thousand steps) is
the model's, not a bug: at step 250 PyTorch's held-out loss was 6.65 (8.1% accuracy) vs attn's 6.73 (6.9%)."""
import json, sys, time, torch, random
from transformers import BertConfig, BertForMaskedLM
torch.set_num_threads(1); torch.manual_seed(0); random.seed(0)
segs = json.load(open(sys.argv[1]))
held = json.load(open(sys.argv[2]))[:256]
cfg = BertConfig(vocab_size=8192, hidden_size=128, num_hidden_layers=2, num_attention_heads=2, intermediate_size=512, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
model = BertForMaskedLM(cfg)
steps = int(sys.argv[3]); bs = 32; warm = 300; total = 6000; peak = 2e-3
nd = [p for n,p in model.named_parameters() if 'bias' in n or 'LayerNorm' in n]
d = [p for n,p in model.named_parameters() if not ('bias' in n or 'LayerNorm' in n)]
opt = torch.optim.AdamW([{'params': d, 'weight_decay': 0.01}, {'params': nd, 'weight_decay': 0.0}], lr=peak)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s/warm if s < warm else max(0.0, (total-s)/(total-warm)))
def mask(batch, g):
    ids = torch.tensor(batch); labels = ids.clone()
    special = (ids == 2) | (ids == 3) | (ids == 0)
    prob = torch.full(ids.shape, 0.15); prob[special] = 0
    m = torch.bernoulli(prob, generator=g).bool(); labels[~m] = -100
    rep = torch.bernoulli(torch.full(ids.shape, 0.8), generator=g).bool() & m
    ids[rep] = 4
    rnd = torch.bernoulli(torch.full(ids.shape, 0.5), generator=g).bool() & m & ~rep
    ids[rnd] = torch.randint(8192, ids.shape, generator=g)[rnd]
    return ids, labels
g = torch.Generator().manual_seed(1)
def evaluate():
    model.eval(); ge = torch.Generator().manual_seed(1234); tot=0; n=0; corr=0
    with torch.no_grad():
        for i in range(0, len(held), 32):
            ids, lab = mask(held[i:i+32], ge)
            out = model(input_ids=ids, labels=lab)
            k = (lab != -100).sum().item(); tot += out.loss.item()*k; n += k
            corr += ((out.logits.argmax(-1) == lab) & (lab != -100)).sum().item()
    model.train(); return tot/n, corr/n
order = list(range(len(segs))); random.shuffle(order)
t0 = time.time()
for s in range(1, steps+1):
    b = [segs[order[(s*bs+j) % len(order)]] for j in range(bs)]
    ids, lab = mask(b, g)
    loss = model(input_ids=ids, labels=lab).loss
    loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step(); sched.step(); opt.zero_grad()
    if s % 250 == 0:
        l, a = evaluate(); print(f'step {s} train {loss.item():.3f} heldout {l:.3f} acc {100*a:.2f}% {time.time()-t0:.0f}s', flush=True)
