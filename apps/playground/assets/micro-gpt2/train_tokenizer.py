# Byte-level BPE of 1,024 ids (the micro GPT-2 fixture's vocab_size) trained by HF tokenizers on Pride and Prejudice.
import sys
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers, processors
tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tok.decoder = decoders.ByteLevel()
tok.post_processor = processors.ByteLevel(trim_offsets=False)
trainer = trainers.BpeTrainer(vocab_size=1024, special_tokens=["<pad>", "<s>", "</s>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
tok.train([sys.argv[1]], trainer)
tok.save(sys.argv[2])
print(tok.get_vocab_size(), tok.encode("The cat sat on the mat.").tokens)
