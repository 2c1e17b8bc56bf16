import type { NamedParameter, ParamGroup } from './optimizer';

/**
 * HF Trainer's default rule: no weight decay for biases and LayerNorm weights
 * (a name ending in "bias" or containing "LayerNorm.weight").
 */
export function isNoDecayParameter(name: string): boolean {
  return name.endsWith('bias') || name.includes('LayerNorm.weight');
}

export interface ParamGroupOptions {
  lr: number;
  weightDecay: number;
  /** Decide which parameters skip weight decay; default isNoDecayParameter. `() => false` decays all. */
  noDecay?: (name: string) => boolean;
}

/**
 * Splits parameters into [decayed, not decayed] groups as HF Trainer does
 * (one group when weight decay is 0 or nothing is excluded; empty groups are dropped).
 */
export function weightDecayParamGroups(params: NamedParameter[], opts: ParamGroupOptions): ParamGroup[] {
  const noDecay = opts.noDecay ?? isNoDecayParameter;
  const decay: NamedParameter[] = [];
  const skip: NamedParameter[] = [];
  for (const p of params) (opts.weightDecay !== 0 && noDecay(p[0]) ? skip : decay).push(p);
  const groups: ParamGroup[] = [];
  if (decay.length) groups.push({ params: decay, lr: opts.lr, weightDecay: opts.weightDecay });
  if (skip.length) groups.push({ params: skip, lr: opts.lr, weightDecay: 0 });
  return groups;
}
