import { generate, GenerationOptionsError } from '@attn/models';
import { CliError, startBackend } from '@attn/cli';
import { loadCausalLM, eosTokenIds } from '../causal_lm_dir';
import { decodingOptions, type DecodingFlags } from '../decoding_flags';
import { continuationText } from '../continuation';

export interface GenerateFlags extends DecodingFlags {
  model: string;
  prompts: string[];
  backend?: string;
  /** commander's --no-stream gives stream: false. */
  stream?: boolean;
}

/**
 * Continues each prompt. One prompt with greedy or sampled decoding streams its text as it is generated;
 * several prompts (left-padded into one batch) and beam search print when done, one result per line.
 */
export async function generateCommand(f: GenerateFlags, write: (s: string) => void = (s) => void process.stdout.write(s)): Promise<string[]> {
  if (f.prompts.length === 0 || f.prompts.some((p) => p === '')) throw new CliError('generate needs a non-empty prompt: attn-generate generate --model DIR "Once upon a time"');
  await startBackend(f.backend);
  const { model, tokenizer } = await loadCausalLM(f.model);
  try {
    const options = decodingOptions(f);
    const eos = eosTokenIds(model, tokenizer);
    const continuation = continuationText(tokenizer, eos);
    const encoded = f.prompts.map((p) => tokenizer.encode(p).ids);
    const width = Math.max(...encoded.map((e) => e.length));
    const pad = tokenizer.padTokenId ?? eos[0] ?? 0;
    const inputIds = encoded.map((e) => [...Array<number>(width - e.length).fill(pad), ...e]);
    const attentionMask = encoded.map((e) => [...Array<number>(width - e.length).fill(0), ...e.map(() => 1)]);
    const stream = f.stream !== false && f.prompts.length === 1 && (options.numBeams ?? 1) === 1;
    const generated: number[] = [];
    let shown = '';
    if (stream) write(f.prompts[0]!);
    const out = generate(model, inputIds, {
      ...options,
      attentionMask,
      eosTokenId: eos,
      padTokenId: pad,
      decode: (ids) => tokenizer.decode(ids, { skipSpecialTokens: true }),
      onToken: stream
        ? ([t]) => {
            generated.push(t!);
            // Decode everything so far: a byte-level piece may only become a character with the next token.
            const text = continuation(encoded[0]!, generated);
            if (text.startsWith(shown)) write(text.slice(shown.length));
            shown = text;
          }
        : undefined,
    });
    const perPrompt = out.sequences.length / f.prompts.length;
    const texts = out.sequences.map((seq, i) => continuation(encoded[Math.floor(i / perPrompt)]!, seq.slice(width)));
    if (stream) write('\n');
    else texts.forEach((t, i) => write(`${texts.length > 1 ? `[${i}] ` : ''}${f.prompts[Math.floor(i / perPrompt)]}${t}\n`));
    return texts;
  } catch (e) {
    if (e instanceof GenerationOptionsError) throw new CliError(e.message.replace(/^generate: /, ''));
    throw e;
  } finally {
    model.dispose();
  }
}
