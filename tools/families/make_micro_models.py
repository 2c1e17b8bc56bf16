"""Writes fixtures/models/micro-{roberta,distilbert}: tiny HF model directories exactly as a user would bring them
(config.json, model.safetensors, tokenizer.json, tokenizer_config.json, saved by HF transformers and tokenizers),
for the apps' tests that fine-tune a RoBERTa and a DistilBERT. Seeded random weights: the tests check that
training, saving, reloading and predicting work, not accuracy. Small vocabularies (~1,000 tokens, trained on
the repository's fixture texts: SST-2 sample, SQuAD articles, a Gutenberg excerpt; no CoNLL text) keep each directory small.
Needs torch, transformers and tokenizers (a venv from the local wheel mirror). Not a CI step: its output is
committed. Usage: python tools/families/make_micro_models.py"""
import json, os, csv
import torch
from tokenizers import ByteLevelBPETokenizer, BertWordPieceTokenizer
from tokenizers.processors import RobertaProcessing
from transformers import (RobertaConfig, RobertaForMaskedLM, RobertaTokenizerFast,
                          DistilBertConfig, DistilBertForMaskedLM, DistilBertTokenizerFast)

root = os.path.join(os.path.dirname(__file__), "..", "..")
data = os.path.join(root, "fixtures", "data")
out = os.path.join(root, "fixtures", "models")

texts = []
with open(os.path.join(data, "sst2-dev-200.tsv")) as f:
    texts += [row[0] for row in csv.reader(f, delimiter="\t")][1:]
squad = json.load(open(os.path.join(data, "squad-v1.1-2articles.json")))
for a in squad["data"]:
    for p in a["paragraphs"]:
        texts.append(p["context"])
        texts += [q["question"] for q in p["qas"]]
texts += open(os.path.join(data, "gutenberg-frankenstein-excerpt.txt")).read().split("\n")
texts = [t for t in texts if t.strip()]

torch.manual_seed(0)

# RoBERTa: byte-level BPE with <s> </s> <pad> <unk> <mask>, positions from pad_token_id + 1.
d = os.path.join(out, "micro-roberta")
os.makedirs(d, exist_ok=True)
bpe = ByteLevelBPETokenizer()
bpe.train_from_iterator(texts, vocab_size=1000, min_frequency=1, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
bpe.post_processor = RobertaProcessing(("</s>", bpe.token_to_id("</s>")), ("<s>", bpe.token_to_id("<s>")), trim_offsets=True, add_prefix_space=False)
tok = RobertaTokenizerFast(tokenizer_object=bpe._tokenizer, model_max_length=128, bos_token="<s>", eos_token="</s>", sep_token="</s>",
                           cls_token="<s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>")
cfg = RobertaConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                    max_position_embeddings=130, type_vocab_size=1, pad_token_id=tok.pad_token_id,
                    bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id)
RobertaForMaskedLM(cfg).save_pretrained(d)
tok.save_pretrained(d)

# DistilBERT: lower-cased WordPiece with [CLS] [SEP] [PAD] [UNK] [MASK].
d = os.path.join(out, "micro-distilbert")
os.makedirs(d, exist_ok=True)
wp = BertWordPieceTokenizer(lowercase=True)
wp.train_from_iterator(texts, vocab_size=1000, min_frequency=1, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
tok = DistilBertTokenizerFast(tokenizer_object=wp._tokenizer, do_lower_case=True, model_max_length=128, cls_token="[CLS]",
                              sep_token="[SEP]", pad_token="[PAD]", unk_token="[UNK]", mask_token="[MASK]")
cfg = DistilBertConfig(vocab_size=len(tok), dim=32, n_layers=2, n_heads=2, hidden_dim=64, max_position_embeddings=128, pad_token_id=tok.pad_token_id)
DistilBertForMaskedLM(cfg).save_pretrained(d)
tok.save_pretrained(d)
for name in ("micro-roberta", "micro-distilbert"):
    print(name, sorted(os.listdir(os.path.join(out, name))), sum(os.path.getsize(os.path.join(out, name, f)) for f in os.listdir(os.path.join(out, name))), "bytes")
