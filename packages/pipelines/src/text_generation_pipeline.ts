import { generate, streamGenerate, type GenerationOptions, type CausalLanguageModel, type TaskModel } from '@attn/models';
import type { Tokenizer } from '@attn/tokenizers';
import { PipelineInputError } from './pipeline_error';

/** One generated text, as HF's text-generation pipeline returns it. */
export interface TextGenerationResult {
  /** The prompt followed by what was generated (HF return_full_text), or only the new text. */
  generatedText: string;
}

/** generate() options without those the pipeline sets from the tokenizer and model. */
export type TextGenerationOptions = Omit<GenerationOptions, 'attentionMask' | 'decode' | 'onToken'> & {
  /** Prompt + continuation (default, as HF) or the continuation only. */
  returnFullText?: boolean;
};

type CausalTaskModel = TaskModel & CausalLanguageModel & { config: TaskModel['config'] & { eosTokenId?: number | number[] | null } };

/**
 * Prompt → continuation with a causal LM (GPT-2, Llama), as HF's `pipeline('text-generation')`. Several prompts
 * run as one left-padded batch. The new text is decode(prompt + new) minus decode(prompt), cut at EOS, so what
 * depends on the prompt (Llama's ▁ space after it, a byte-level character across the boundary) comes out right.
 */
export class TextGenerationPipeline {
  readonly task = 'text-generation';
  private readonly eos: number[];
  private readonly pad: number;

  constructor(
    readonly model: TaskModel,
    readonly tokenizer: Tokenizer,
  ) {
    if (model.task !== 'causal-lm') {
      throw new PipelineInputError(`text-generation needs a causal-LM model (GPT2LMHeadModel, LlamaForCausalLM); got ${model.architecture} (${model.task}).`);
    }
    const e = (model as CausalTaskModel).config.eosTokenId;
    const fallback = ['</s>', '<|endoftext|>', '<eos>'].map((t) => tokenizer.tokenToId(t)).find((x) => x !== undefined);
    this.eos = e != null ? (Array.isArray(e) ? e : [e]) : fallback === undefined ? [] : [fallback];
    this.pad = tokenizer.padTokenId ?? this.eos[0] ?? 0;
    model.eval();
  }

  /** The text `ids` add after `prompt`. */
  continuation(prompt: number[], ids: number[]): string {
    const end = ids.findIndex((t) => this.eos.includes(t)); // a finished row is padded after its EOS
    const kept = end < 0 ? ids : ids.slice(0, end);
    const before = this.decode(prompt);
    const all = this.decode([...prompt, ...kept]);
    return all.startsWith(before) ? all.slice(before.length) : this.decode(kept);
  }

  /** One list of results per prompt (numReturnSequences each with beam search). */
  call(prompts: string | string[], opts: TextGenerationOptions = {}): TextGenerationResult[][] {
    const list = typeof prompts === 'string' ? [prompts] : prompts;
    const { inputIds, attentionMask, encoded, width } = this.batch(list);
    const { returnFullText, ...options } = opts;
    const out = generate(this.model as CausalTaskModel, inputIds, { eosTokenId: this.eos, padTokenId: this.pad, ...options, attentionMask, decode: (ids) => this.decode(ids) });
    const per = out.sequences.length / list.length;
    return list.map((prompt, i) =>
      out.sequences.slice(i * per, (i + 1) * per).map((seq) => {
        const text = this.continuation(encoded[i]!, seq.slice(width));
        return { generatedText: returnFullText === false ? text : prompt + text };
      }),
    );
  }

  /**
   * Streams one prompt's continuation piece by piece as tokens are generated (greedy or sampling), letting the
   * event loop run between tokens. Breaking off the loop stops generation and frees the KV cache.
   */
  async *stream(prompt: string, opts: Omit<TextGenerationOptions, 'returnFullText'> = {}): AsyncGenerator<string, string> {
    const { inputIds, attentionMask, encoded, width } = this.batch([prompt]);
    let shown = '';
    for await (const step of streamGenerate(this.model as CausalTaskModel, inputIds, { eosTokenId: this.eos, padTokenId: this.pad, ...opts, attentionMask, decode: (ids) => this.decode(ids) })) {
      const text = this.continuation(encoded[0]!, step.sequences[0]!.slice(width));
      // A piece is sent once it is stable: a byte-level character may need the next token to decode.
      if (text.length > shown.length && text.startsWith(shown)) {
        yield text.slice(shown.length);
        shown = text;
      }
    }
    return shown;
  }

  private decode(ids: number[]): string {
    return this.tokenizer.decode(ids, { skipSpecialTokens: true });
  }

  private batch(prompts: readonly string[]): { inputIds: number[][]; attentionMask: number[][]; encoded: number[][]; width: number } {
    if (prompts.length === 0 || prompts.some((p) => typeof p !== 'string' || p === '')) {
      throw new PipelineInputError('text-generation needs non-empty prompt strings.');
    }
    const encoded = prompts.map((p) => this.tokenizer.encode(p).ids);
    const width = Math.max(...encoded.map((e) => e.length));
    return {
      encoded,
      width,
      inputIds: encoded.map((e) => [...Array<number>(width - e.length).fill(this.pad), ...e]),
      attentionMask: encoded.map((e) => [...Array<number>(width - e.length).fill(0), ...e.map(() => 1)]),
    };
  }
}
