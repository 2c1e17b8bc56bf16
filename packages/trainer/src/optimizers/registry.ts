import type { Optimizer, ParamGroup } from './optimizer';
import { AdamW } from './adamw';
import { SGD } from './sgd';
import { TrainingArgumentsError } from '../training_error';

/** The TrainingArguments fields an optimizer factory may read. */
export interface OptimizerSettings {
  adamBeta1: number;
  adamBeta2: number;
  adamEpsilon: number;
  sgdMomentum: number;
  sgdNesterov: boolean;
}

export type OptimizerFactory = (groups: ParamGroup[], settings: OptimizerSettings) => Optimizer;

const factories = new Map<string, OptimizerFactory>();

/** Adds an optimizer that `TrainingArguments.optim` can name; a name already registered is refused. */
export function registerOptimizer(name: string, factory: OptimizerFactory): void {
  if (factories.has(name)) throw new TrainingArgumentsError(`registerOptimizer: an optimizer named "${name}" is already registered.`);
  factories.set(name, factory);
}

export function registeredOptimizers(): string[] {
  return [...factories.keys()];
}

export function createOptimizer(name: string, groups: ParamGroup[], settings: OptimizerSettings): Optimizer {
  const factory = factories.get(name);
  if (!factory) {
    throw new TrainingArgumentsError(
      `TrainingArguments.optim is "${name}", which is not a registered optimizer; use one of ${registeredOptimizers().join(', ')} or registerOptimizer() it first.`,
    );
  }
  return factory(groups, settings);
}

registerOptimizer('adamw', (groups, s) => new AdamW(groups, { beta1: s.adamBeta1, beta2: s.adamBeta2, eps: s.adamEpsilon }));
registerOptimizer('sgd', (groups, s) => new SGD(groups, { momentum: s.sgdMomentum, nesterov: s.sgdNesterov }));
