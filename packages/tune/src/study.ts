// A study: asks the sampler for parameters, runs trials (several at once if asked), hears their
// intermediate values, lets the pruner stop them, and records everything in the journal first.
import { Journal, JournalError, type JournalEvent } from './journal';
import { lossOf, type Direction, type FrozenTrial } from './frozen_trial';
import { Rng } from './rng';
import { paramsKey, type Params, type SearchSpace } from './search_space';
import type { Sampler } from './samplers/sampler';
import type { Pruner } from './pruners/pruner';
import { NopPruner } from './pruners/pruner';
import { TpeSampler } from './samplers/tpe_sampler';
import { createPruner, createSampler } from './create_sampler';
import { Trial, TrialPruned } from './trial';
import { validateSpace } from './validate_space';

export interface StudyOptions {
  space: SearchSpace;
  /** Default 'minimize', as Optuna; a dev accuracy wants 'maximize'. */
  direction?: Direction;
  /** A Sampler or a registered name ('tpe' — the default, multivariate —, 'tpe-independent', 'random', 'grid'). */
  sampler?: Sampler | string;
  /** A Pruner or a registered name ('none' — the default —, 'median', 'asha'). */
  pruner?: Pruner | string;
  /** Seeds the sampler; each trial draws from its own stream, so a resumed study samples as an uninterrupted one. */
  seed?: number;
  /** Path of the JSONL journal. An existing one is resumed (it must be for the same space and direction). */
  journal?: string;
}

export interface OptimizeOptions {
  /** Stop starting trials once the study holds this many (a resumed study runs only the rest). */
  nTrials?: number;
  /** Stop starting trials after this many milliseconds; running ones finish. */
  timeoutMs?: number;
  /** Trials run at once (the objective is async, e.g. it waits for a child process). Default 1. */
  parallel?: number;
  onTrialStart?: (trial: FrozenTrial, study: Study) => void;
  onReport?: (trial: FrozenTrial, pruned: boolean, study: Study) => void;
  onTrialEnd?: (trial: FrozenTrial, study: Study) => void;
}

export type Objective = (trial: Trial) => number | Promise<number>;

export type TrialOutcome =
  | { state: 'complete'; value: number }
  | { state: 'pruned' }
  | { state: 'failed'; error: string };

export class Study {
  readonly space: SearchSpace;
  readonly direction: Direction;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly seed: number;
  private readonly journal?: Journal;
  private readonly list: FrozenTrial[] = [];
  private readonly retries: number[] = [];
  private readonly queue: Params[] = [];

  private constructor(options: StudyOptions) {
    this.space = validateSpace(options.space);
    this.direction = options.direction ?? 'minimize';
    this.seed = options.seed ?? 0;
    this.sampler = typeof options.sampler === 'string' ? createSampler(options.sampler, { seed: this.seed }) : (options.sampler ?? new TpeSampler());
    this.pruner = typeof options.pruner === 'string' ? createPruner(options.pruner) : (options.pruner ?? new NopPruner());
    if (options.journal) this.journal = new Journal(options.journal);
  }

  /** Creates a study, or resumes the one its journal holds. */
  static open(options: StudyOptions): Study {
    const study = new Study(options);
    study.replay();
    return study;
  }

  /** Every trial in number order (read-only snapshots). */
  get trials(): readonly FrozenTrial[] {
    return this.list;
  }

  /** The best complete trial (the earliest among equals), or undefined. */
  get bestTrial(): FrozenTrial | undefined {
    let best: FrozenTrial | undefined;
    for (const t of this.list) {
      if (t.state === 'complete' && (!best || lossOf(t.value!, this.direction) < lossOf(best.value!, this.direction))) best = t;
    }
    return best;
  }

  get bestParams(): Params | undefined {
    return this.bestTrial?.params;
  }

  get bestValue(): number | undefined {
    return this.bestTrial?.value;
  }

  /** Trials that count toward nTrials: all but interrupted ones (those are run again). */
  get countedTrials(): number {
    return this.list.filter((t) => !t.interrupted).length;
  }

  /** Runs `params` before sampling new ones (e.g. the current defaults); skipped if a trial already ran them. */
  enqueue(params: Params): void {
    if (this.list.some((t) => !t.interrupted && paramsKey(t.params) === paramsKey(params))) return;
    this.queue.push({ ...params });
  }

  /** Starts a trial: an interrupted one again, an enqueued one, or the sampler's proposal. Null when the sampler is done. */
  ask(): Trial | null {
    const number = this.list.length;
    let params: Params | null;
    let retryOf: number | undefined;
    if (this.retries.length) {
      retryOf = this.retries.shift()!;
      params = { ...this.list[retryOf]!.params };
    } else if (this.queue.length) {
      params = this.queue.shift()!;
    } else {
      params = this.sampler.sample({ space: this.space, trials: this.list, direction: this.direction, rng: new Rng(this.seed, number) });
    }
    if (params === null) return null;
    this.write({ op: 'ask', trial: number, params, time: Date.now(), ...(retryOf !== undefined ? { retryOf } : {}) });
    return this.trialHandle(number);
  }

  /** Records an intermediate value; returns whether the pruner stops the trial there. */
  report(number: number, step: number, value: number): boolean {
    const t = this.running(number);
    if (t.intermediate.some((v) => v.step === step)) return this.pruner.shouldPrune(t, this.list, this.direction);
    this.write({ op: 'report', trial: number, step, value });
    return this.pruner.shouldPrune(t, this.list, this.direction);
  }

  /** Ends a trial. A complete trial with a non-finite value is recorded as failed. */
  tell(number: number, outcome: TrialOutcome): FrozenTrial {
    this.running(number);
    const time = Date.now();
    if (outcome.state === 'complete' && !Number.isFinite(outcome.value)) {
      this.write({ op: 'tell', trial: number, state: 'failed', error: `objective returned ${outcome.value}`, time });
    } else if (outcome.state === 'complete') {
      this.write({ op: 'tell', trial: number, state: 'complete', value: outcome.value, time });
    } else if (outcome.state === 'pruned') {
      this.write({ op: 'tell', trial: number, state: 'pruned', time });
    } else {
      this.write({ op: 'tell', trial: number, state: 'failed', error: outcome.error, time });
    }
    return this.list[number]!;
  }

  /** Runs trials until nTrials are in the study, the time is up, or the sampler is done. */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<void> {
    const deadline = options.timeoutMs !== undefined ? Date.now() + options.timeoutMs : Infinity;
    const nTrials = options.nTrials ?? Infinity;
    if (nTrials === Infinity && deadline === Infinity) throw new RangeError('optimize: give nTrials, timeoutMs or both');
    let exhausted = false;
    const worker = async () => {
      while (!exhausted && this.countedTrials < nTrials && Date.now() < deadline) {
        const trial = this.ask();
        if (!trial) {
          exhausted = true;
          return;
        }
        options.onTrialStart?.(this.list[trial.number]!, this);
        const handle = new Trial(trial.number, trial.params, (step, value) => {
          const prune = this.report(trial.number, step, value);
          options.onReport?.(this.list[trial.number]!, prune, this);
          return prune;
        });
        let outcome: TrialOutcome;
        try {
          outcome = { state: 'complete', value: await objective(handle) };
        } catch (e) {
          outcome = e instanceof TrialPruned ? { state: 'pruned' } : { state: 'failed', error: e instanceof Error ? e.message : String(e) };
        }
        const ended = this.tell(trial.number, outcome);
        options.onTrialEnd?.(ended, this);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 1) }, worker));
  }

  private trialHandle(number: number): Trial {
    return new Trial(number, this.list[number]!.params, (step, value) => this.report(number, step, value));
  }

  private running(number: number): FrozenTrial {
    const t = this.list[number];
    if (!t) throw new RangeError(`trial ${number} does not exist`);
    if (t.state !== 'running') throw new RangeError(`trial ${number} already ended (${t.state})`);
    return t;
  }

  /** Writes an event to the journal, then applies it. */
  private write(event: JournalEvent): void {
    this.journal?.append(event);
    this.apply(event);
  }

  private apply(event: JournalEvent): void {
    if (event.op === 'study') return;
    if (event.op === 'ask') {
      if (event.trial !== this.list.length) throw new JournalError(`journal: trial ${event.trial} asked out of order (expected ${this.list.length})`);
      this.list.push({ number: event.trial, state: 'running', params: event.params, intermediate: [], startedAt: event.time });
      if (event.retryOf !== undefined) this.list[event.retryOf]!.retriedAs = event.trial;
      return;
    }
    const t = this.list[event.trial];
    if (!t) throw new JournalError(`journal: event for unknown trial ${event.trial}`);
    if (event.op === 'report') {
      t.intermediate.push({ step: event.step, value: event.value });
      t.intermediate.sort((a, b) => a.step - b.step);
      return;
    }
    t.state = event.state;
    t.finishedAt = event.time;
    if (event.state === 'complete') t.value = event.value;
    if (event.state === 'pruned') t.value = t.intermediate.at(-1)?.value;
    if (event.error !== undefined) t.error = event.error;
    if (event.interrupted) t.interrupted = true;
  }

  private replay(): void {
    if (!this.journal) return;
    const events = this.journal.read();
    const header = {
      op: 'study' as const, version: 1 as const, direction: this.direction, space: this.space,
      sampler: this.sampler.name, pruner: this.pruner.name, seed: this.seed, time: Date.now(),
    };
    if (events.length === 0) {
      this.journal.append(header);
      return;
    }
    const first = events[0]!;
    if (first.op !== 'study') throw new JournalError(`${this.journal.path}: does not start with a study event; not a study journal`);
    if (first.direction !== this.direction) {
      throw new JournalError(`${this.journal.path}: written by a study that will ${first.direction}, this one will ${this.direction}; use the same direction or a new journal`);
    }
    if (JSON.stringify(first.space) !== JSON.stringify(this.space)) {
      const names = new Set([...Object.keys(first.space), ...Object.keys(this.space)]);
      const field = [...names].find((n) => JSON.stringify(first.space[n]) !== JSON.stringify(this.space[n]));
      throw new JournalError(`${this.journal.path}: written for another search space (parameter "${field}" differs); resume with the same space or start a new journal`);
    }
    for (const e of events.slice(1)) this.apply(e);
    // A trial still running when the study was killed: record it as failed (interrupted), run its parameters again.
    for (const t of this.list) {
      if (t.state === 'running') {
        this.write({ op: 'tell', trial: t.number, state: 'failed', error: 'interrupted: the study stopped while this trial ran', interrupted: true, time: Date.now() });
      }
    }
    for (const t of this.list) if (t.interrupted && t.retriedAs === undefined) this.retries.push(t.number);
  }
}
