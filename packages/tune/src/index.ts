export type {
  SearchSpace, ParamSpec, FloatParam, IntParam, CategoricalParam, NumericParam, Condition, Params, CategoricalChoice,
} from './search_space';
export { isActive, gridValues, conditionGroups, paramsKey } from './search_space';
export { validateSpace, type ValidateSpaceOptions } from './validate_space';
export { SpaceError } from './space_error';
export type { Direction, TrialState, FrozenTrial, IntermediateValue } from './frozen_trial';
export { Rng } from './rng';
export type { Sampler, SampleContext } from './samplers/sampler';
export { RandomSampler, sampleFromPrior } from './samplers/random_sampler';
export { GridSampler, gridPoints } from './samplers/grid_sampler';
export { TpeSampler, defaultGamma, defaultWeights, splitTrials, type TpeOptions } from './samplers/tpe_sampler';
export { ParzenEstimator, type ParzenDim, type ParzenOptions } from './samplers/parzen_estimator';
export type { Pruner } from './pruners/pruner';
export { NopPruner } from './pruners/pruner';
export { MedianPruner, type MedianPrunerOptions } from './pruners/median_pruner';
export { AshaPruner, type AshaPrunerOptions } from './pruners/asha_pruner';
export { createSampler, createPruner, registerSampler, registerPruner, samplerNames, prunerNames } from './create_sampler';
export { Journal, JournalError, type JournalEvent } from './journal';
export { Trial, TrialPruned } from './trial';
export { Study, type StudyOptions, type OptimizeOptions, type Objective, type TrialOutcome } from './study';
export { trialsTable, formatValue, type TrialsTableOptions } from './trials_table';
export { processObjective, type ProcessObjectiveOptions, type TrialCommand } from './process_objective';
export { currentTrial, ProcessTrial, TRIAL_ENV } from './trial_process';
export { historySvg, paramSvg } from './study_charts';
