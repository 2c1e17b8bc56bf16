import { LoRALinear, type Module } from '@attn/layers';

/** Every projection of a decoder block, by family (PEFT's usual "all-linear" for GPT-2 and Llama). */
export const LORA_TARGETS: Record<string, string[]> = {
  gpt2: ['c_attn', 'c_proj', 'c_fc'],
  llama: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
};

/** Folds every adapter into its layer (W + scale · A B), so the saved model is a plain HF checkpoint. */
export function mergeLoRA(model: Module): number {
  let merged = 0;
  for (const [, parent] of model.namedModules()) {
    for (const [name, child] of parent.namedChildren()) {
      if (!(child instanceof LoRALinear)) continue;
      parent.replaceModule(name, child.merged());
      // merged() copies the weight and shares nothing but the bias it clones: the adapter's variables go.
      child.dispose();
      merged++;
    }
  }
  return merged;
}
