import type { Optimizer } from '../optimizers/optimizer';
import { LambdaScheduler, type LrLambda } from './lr_scheduler';
import { linearWithWarmup } from './linear';
import { cosineWithWarmup } from './cosine';
import { constant, constantWithWarmup } from './constant';
import { TrainingArgumentsError } from '../training_error';

export interface ScheduleSettings {
  numWarmupSteps: number;
  numTrainingSteps: number;
  /** Cosine only: HF num_cycles (default 0.5 = one half-wave down to 0). */
  numCycles?: number;
}

export type ScheduleFactory = (s: ScheduleSettings) => LrLambda;

const schedules = new Map<string, ScheduleFactory>();

/** Adds a schedule that `TrainingArguments.lrSchedulerType` can name. */
export function registerSchedule(name: string, factory: ScheduleFactory): void {
  if (schedules.has(name)) throw new TrainingArgumentsError(`registerSchedule: a schedule named "${name}" is already registered.`);
  schedules.set(name, factory);
}

export function registeredSchedules(): string[] {
  return [...schedules.keys()];
}

/** The learning-rate scheduler HF's get_scheduler(name, …) would build, on `optimizer`. */
export function createScheduler(name: string, optimizer: Optimizer, settings: ScheduleSettings): LambdaScheduler {
  const factory = schedules.get(name);
  if (!factory) {
    throw new TrainingArgumentsError(
      `TrainingArguments.lrSchedulerType is "${name}", which is not a registered schedule; use one of ${registeredSchedules().join(', ')} or registerSchedule() it first.`,
    );
  }
  return new LambdaScheduler(name, optimizer, factory(settings));
}

registerSchedule('linear', (s) => linearWithWarmup(s.numWarmupSteps, s.numTrainingSteps));
registerSchedule('cosine', (s) => cosineWithWarmup(s.numWarmupSteps, s.numTrainingSteps, s.numCycles ?? 0.5));
registerSchedule('constant_with_warmup', (s) => constantWithWarmup(s.numWarmupSteps));
registerSchedule('constant', () => constant());
