
export { Trainer } from './trainer';
export type { TrainerOptions, TrainOutput } from './trainer';
export type { BatchSource, InputBatch } from './batch_source';
export { modelLoss } from './compute_loss';
export type { ComputeLoss, ComputeLossResult } from './compute_loss';
export { predictionLoop } from './prediction_loop';
export type { ComputeMetrics, PredictionLoopOptions } from './prediction_loop';
export { resolveTrainingArguments, evalMetricKey, DEFAULT_TRAINING_ARGUMENTS } from './training_arguments';
export type { TrainingArguments, TrainingArgumentsInput, IntervalStrategy } from './training_arguments';
export type { TrainerState, LogEntry } from './trainer_state';
export type { TrainableModel, ParameterModel, ParameterLayout } from './trainable_model';
export { concatBatches } from './prediction_output';
export type { BatchArray, EvalPrediction, PredictionOutput } from './prediction_output';
export { TrainingError, TrainingArgumentsError, CheckpointError, NonFiniteLossError } from './training_error';
export { freezeStrategy } from './freeze_strategy';
export type { FreezeStrategy } from './freeze_strategy';
export { clipGradNorm } from './clip_grad_norm';

export type { Optimizer, ParamGroup, NamedParameter, GradientMap, OptimizerStateDict } from './optimizers/optimizer';
export { SlotOptimizer } from './optimizers/slot_optimizer';
export { AdamW } from './optimizers/adamw';
export type { AdamWOptions } from './optimizers/adamw';
export { SGD } from './optimizers/sgd';
export type { SGDOptions } from './optimizers/sgd';
export { weightDecayParamGroups, isNoDecayParameter } from './optimizers/param_groups';
export type { ParamGroupOptions } from './optimizers/param_groups';
export { registerOptimizer, createOptimizer, registeredOptimizers } from './optimizers/registry';
export type { OptimizerFactory, OptimizerSettings } from './optimizers/registry';

export { LambdaScheduler } from './schedulers/lr_scheduler';
export type { LrLambda, SchedulerStateDict } from './schedulers/lr_scheduler';
export { linearWithWarmup } from './schedulers/linear';
export { cosineWithWarmup } from './schedulers/cosine';
export { constantWithWarmup, constant } from './schedulers/constant';
export { registerSchedule, createScheduler, registeredSchedules } from './schedulers/registry';
export type { ScheduleFactory, ScheduleSettings } from './schedulers/registry';

export type { TrainerCallback, CallbackContext, TrainerControl } from './callbacks/callback';
export { EarlyStoppingCallback } from './callbacks/early_stopping';
export type { EarlyStoppingOptions } from './callbacks/early_stopping';
export { ProgressCallback } from './callbacks/progress';
export type { ProgressOptions } from './callbacks/progress';
export { JsonlLoggerCallback } from './callbacks/jsonl_logger';
export { PruningCallback } from './callbacks/pruning_callback';
export type { TrialReporter, PruningCallbackOptions } from './callbacks/pruning_callback';
export { hyperparameterSearch } from './hyperparameter_search';
export type { HyperparameterSearchOptions, HyperparameterSearchResult, TrialTrainer } from './hyperparameter_search';

export { writeFileAtomic, writeJsonAtomic } from './checkpoint/atomic_write';
export type { TrainerStore } from './storage/trainer_store';
export { defaultStore, joinPath } from './storage/trainer_store';
export { FileSystemStore } from './storage/file_system_store';
export { MemoryStore } from './storage/memory_store';
export { downloadFile } from './storage/download';
export { listCheckpoints, latestCheckpoint, rotateCheckpoints } from './checkpoint/checkpoint_dirs';
export { saveModelWeights, loadModelWeights } from './checkpoint/model_weights';
export { writeTrainerCheckpoint, readTrainerCheckpoint } from './checkpoint/trainer_checkpoint';
export type { TrainingSnapshot } from './checkpoint/trainer_checkpoint';
