import type { Tokenizer } from '@attn/tokenizers';

/**
 * The text a generation added after its prompt: decode(prompt + new) minus decode(prompt), cut at the first EOS.
 * Decoding the new ids alone would lose what depends on the prompt (Llama's ▁ space after it, a byte-level
 * character split across the boundary).
 */
export function continuationText(tokenizer: Tokenizer, eos: readonly number[]): (prompt: number[], ids: number[]) => string {
  const decode = (ids: number[]) => tokenizer.decode(ids, { skipSpecialTokens: true });
  return (prompt, ids) => {
    const end = ids.findIndex((t) => eos.includes(t)); // a finished row is padded after its EOS
    const kept = end < 0 ? ids : ids.slice(0, end);
    const before = decode(prompt);
    const all = decode([...prompt, ...kept]);
    return all.startsWith(before) ? all.slice(before.length) : decode(kept);
  };
}
