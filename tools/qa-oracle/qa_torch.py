# attn-qa's recipe in PyTorch + HF transformers, as an oracle for attn's QA pipeline (issue #28): HF run_qa's
# prepare_train_features (384 / 128 windows, only_second), BertForQuestionAnswering from an HF checkpoint directory
# (or random weights of its config), AdamW with HF Trainer's parameter groups, 10% warm-up + linear decay, clip 1.0,
# padding trimmed to each batch's longest row as attn's collator does; dev scored on the last 6 of the 36 shared
# SQuAD articles with n-best 20, answers up to 30 tokens and the official SQuAD v1.1 EM / F1 normalisation.
#   /tmp/hfvenv/bin/python tools/qa-oracle/qa_torch.py --model models/attn-bert-tiny-cased [--epochs 2] [--lr 1e-3]
#       [--random] [--train-eval 1000]   (--train-eval N: also score the first N training questions after each epoch)
#       [--match]   context tokens found in the question get token type 2 (attn-qa train --question-match)
#       [--pretrain cloze.json --pretrain-epochs 1]   train on another SQuAD-format file first (tools/qa-cloze)
#       [--prior 1,2,4]   after training, also score dev with a sentence word-overlap prior of these weights
# Needs torch and transformers (a venv from pip's mirror); CI never runs it.
import json, sys, time, re, string, collections, argparse, math, random, os
import numpy as np, torch
from transformers import BertForQuestionAnswering, BertConfig, PreTrainedTokenizerFast
ap = argparse.ArgumentParser()
ap.add_argument('--model', required=True); ap.add_argument('--random', action='store_true')
ap.add_argument('--lr', type=float, default=1e-3); ap.add_argument('--epochs', type=int, default=2)
ap.add_argument('--bs', type=int, default=32); ap.add_argument('--max-len', type=int, default=384)
ap.add_argument('--stride', type=int, default=128); ap.add_argument('--seed', type=int, default=42)
ap.add_argument('--threads', type=int, default=2); ap.add_argument('--train-eval', type=int, default=0)
ap.add_argument('--data', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../shared/data/squad/squad-v1.1-dev-part-train.json'))
ap.add_argument('--dev-articles', type=int, default=6)
ap.add_argument('--pretrain', default='', help='SQuAD-format file (e.g. tools/qa-cloze output) trained on first')
ap.add_argument('--pretrain-epochs', type=int, default=1); ap.add_argument('--pretrain-lr', type=float, default=0.0)
ap.add_argument('--pretrain-score', action='store_true', help='score dev after each pretraining epoch')
ap.add_argument('--prior', default='', help='comma-separated weights of a sentence word-overlap prior, scored after the last epoch')
ap.add_argument('--match', action='store_true', help='token type 2 on context tokens that also occur in the question (DrQA exact match)')
a = ap.parse_args()
torch.manual_seed(a.seed); random.seed(a.seed); np.random.seed(a.seed); torch.set_num_threads(a.threads)
data = json.load(open(a.data))['data']
def flat(arts):
    out = []
    for art in arts:
        for p in art['paragraphs']:
            for q in p['qas']:
                out.append(dict(id=q['id'], question=q['question'].lstrip(), context=p['context'], answers=q['answers']))
    return out
train, dev = flat(data[:-a.dev_articles]), flat(data[-a.dev_articles:])
tok = PreTrainedTokenizerFast(tokenizer_file=a.model + '/tokenizer.json', cls_token='[CLS]', sep_token='[SEP]', pad_token='[PAD]', unk_token='[UNK]', mask_token='[MASK]')
cfg = BertConfig.from_pretrained(a.model)
model = BertForQuestionAnswering(cfg) if a.random else BertForQuestionAnswering.from_pretrained(a.model)
if a.match:
    old = model.bert.embeddings.token_type_embeddings.weight.data
    emb = torch.nn.Embedding(3, old.shape[1]); emb.weight.data[:2] = old; emb.weight.data[2] = old[1]
    model.bert.embeddings.token_type_embeddings = emb; model.config.type_vocab_size = 3
def enc(exs):
    return tok([e['question'] for e in exs], [e['context'] for e in exs], truncation='only_second', max_length=a.max_len,
               stride=a.stride, return_overflowing_tokens=True, return_offsets_mapping=True, return_token_type_ids=True, padding='max_length')
STOP = set('a an the of in on at to for by with from and or is are was were be been what which who whom whose when where why how did do does that this it its as into than then there their they he she his her not no'.split())
def add_match(t, exs):
    if not a.match: return t
    for i, ids in enumerate(t['input_ids']):
        seq = t.sequence_ids(i); toks = tok.convert_ids_to_tokens(ids)
        norm = [x.lower().lstrip('#') for x in toks]
        q = {n for n, s in zip(norm, seq) if s == 0 and len(n) > 1 and n not in STOP and any(ch.isalnum() for ch in n)}
        tt = t['token_type_ids'][i]
        for j, s in enumerate(seq):
            if s == 1 and norm[j] in q: tt[j] = 2
    return t
def train_feats(exs):
    t = add_match(enc(exs), exs); S, E = [], []
    for i, offs in enumerate(t['offset_mapping']):
        ids = t['input_ids'][i]; cls = ids.index(tok.cls_token_id); seqids = t.sequence_ids(i)
        ex = exs[t['overflow_to_sample_mapping'][i]]; ans = ex['answers'][0]
        sc = ans['answer_start']; ec = sc + len(ans['text'])
        ts = 0
        while seqids[ts] != 1: ts += 1
        te = len(ids) - 1
        while seqids[te] != 1: te -= 1
        if not (offs[ts][0] <= sc and offs[te][1] >= ec): S.append(cls); E.append(cls); continue
        while ts < len(offs) and offs[ts][0] <= sc: ts += 1
        S.append(ts - 1)
        while offs[te][1] >= ec: te -= 1
        E.append(te + 1)
    return t, S, E
def normalize(s):
    s = s.lower(); s = ''.join(ch for ch in s if ch not in set(string.punctuation))
    s = re.sub(r'\b(a|an|the)\b', ' ', s); return ' '.join(s.split())
def f1(p, g):
    pt, gt = normalize(p).split(), normalize(g).split()
    c = collections.Counter(pt) & collections.Counter(gt); n = sum(c.values())
    if n == 0: return 0.0
    pr, rc = n / len(pt), n / len(gt); return 2 * pr * rc / (pr + rc)
def sentence_overlap(question, context):
    # per sentence of the context: (start char, end char, number of the question's content words it holds)
    qw = {w for w in normalize(question).split() if w not in STOP}
    out = []
    for m in re.finditer(r'[^.!?]+(?:[.!?]+|$)', context):
        out.append((m.start(), m.end(), len(qw & set(normalize(m.group(0)).split()))))
    return out
def evaluate(exs, limit=None, lam=0.0):
    exs = exs[:limit] if limit else exs
    t = add_match(enc(exs), exs); model.eval(); n = len(t['input_ids']); SL, EL = [], []
    with torch.inference_mode():
        for b in range(0, n, 64):
            o = model(input_ids=torch.tensor(t['input_ids'][b:b+64]), attention_mask=torch.tensor(t['attention_mask'][b:b+64]), token_type_ids=torch.tensor(t['token_type_ids'][b:b+64]))
            SL += o.start_logits.tolist(); EL += o.end_logits.tolist()
    best = {}
    for i in range(n):
        ex = exs[t['overflow_to_sample_mapping'][i]]; offs = t['offset_mapping'][i]; seqids = t.sequence_ids(i)
        sl, el = np.array(SL[i]), np.array(EL[i]); nb = 40 if lam else 20
        sents = sentence_overlap(ex['question'], ex['context']) if lam else []
        def sent_of(c): return next((k for k, x in enumerate(sents) if x[0] <= c < x[1]), -1)
        for s in np.argsort(sl)[-nb:][::-1]:
            for e in np.argsort(el)[-nb:][::-1]:
                if seqids[s] != 1 or seqids[e] != 1 or e < s or e - s + 1 > 30: continue
                sc = sl[s] + el[e]
                if lam:
                    ks, ke = sent_of(offs[s][0]), sent_of(offs[e][1] - 1)
                    if ks != ke or ks < 0: continue
                    sc += lam * sents[ks][2]
                if ex['id'] not in best or sc > best[ex['id']][0]: best[ex['id']] = (sc, ex['context'][offs[s][0]:offs[e][1]])
    em = f = 0.0
    for ex in exs:
        p = best.get(ex['id'], (0, ''))[1]; gs = [x['text'] for x in ex['answers']]
        em += max(float(normalize(p) == normalize(g)) for g in gs); f += max(f1(p, g) for g in gs)
    model.train(); return 100 * em / len(exs), 100 * f / len(exs)
def fit(exs, epochs, lr, label, score=True):
    t, S, E = train_feats(exs)
    N = len(S); print(f'{label}: train windows {N}, dev questions {len(dev)}', flush=True)
    ids = torch.tensor(t['input_ids']); am = torch.tensor(t['attention_mask']); tt = torch.tensor(t['token_type_ids'])
    S, E = torch.tensor(S), torch.tensor(E)
    nd = ['bias', 'LayerNorm.weight']
    groups = [{'params': [p for n, p in model.named_parameters() if not any(x in n for x in nd)], 'weight_decay': 0.01},
              {'params': [p for n, p in model.named_parameters() if any(x in n for x in nd)], 'weight_decay': 0.0}]
    opt = torch.optim.AdamW(groups, lr=lr)
    steps = epochs * math.ceil(N / a.bs); warm = int(0.1 * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / max(1, warm) if s < warm else max(0.0, (steps - s) / max(1, steps - warm)))
    model.train(); t0 = time.time(); step = 0
    for ep in range(epochs):
        perm = torch.randperm(N)
        for b in range(0, N, a.bs):
            idx = perm[b:b+a.bs]
            # trim padding to the batch's longest row, as attn's collator does
            L = int(am[idx].sum(1).max())
            o = model(input_ids=ids[idx, :L], attention_mask=am[idx, :L], token_type_ids=tt[idx, :L], start_positions=S[idx], end_positions=E[idx])
            o.loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step(); sched.step(); opt.zero_grad(); step += 1
            if step % 50 == 0: print(f'step {step}/{steps} loss {o.loss.item():.3f} {time.time()-t0:.0f}s', flush=True)
        if not score: continue
        em, f = evaluate(dev); print(f'{label} epoch {ep+1}: dev EM {em:.2f} F1 {f:.2f} ({time.time()-t0:.0f}s)', flush=True)
        if a.train_eval: tem, tf_ = evaluate(exs, a.train_eval); print(f'{label} epoch {ep+1}: train (first {a.train_eval}) EM {tem:.2f} F1 {tf_:.2f}', flush=True)
if a.pretrain:
    fit(flat(json.load(open(a.pretrain))['data']), a.pretrain_epochs, a.pretrain_lr or a.lr, 'pretrain', score=a.pretrain_score)
fit(train, a.epochs, a.lr, 'squad')
for lam in [float(x) for x in a.prior.split(',') if x]:
    em, f = evaluate(dev, lam=lam); print(f'prior {lam}: dev EM {em:.2f} F1 {f:.2f}', flush=True)
