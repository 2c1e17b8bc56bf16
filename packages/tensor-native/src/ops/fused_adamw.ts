// Kept for compatibility: the one-kernel AdamW step now lives in @attn/tensor (adamwUpdate),
// next to the kernel names it dispatches to, so @attn/trainer can use it without this package.
import { adamwUpdate, AdamWSlotError, type AdamWSlot, type AdamWUpdateOptions } from '@attn/tensor';

export { AdamWSlotError };
export type { AdamWSlot };
export type AdamWOptions = AdamWUpdateOptions;

/** Updates every param, m and v of `slots` in place (variable.assign) with one AdamW step; see @attn/tensor's adamwUpdate. */
export function fusedAdamWUpdate(slots: AdamWSlot[], opts: AdamWOptions): void {
  adamwUpdate(slots, opts);
}
