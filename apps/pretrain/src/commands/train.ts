import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '@attn/tensor';
import { ArrayDataset, DataLoader, MlmCollator, causalLmCollator, type CausalLmFeature } from '@attn/data';
import { BertForMaskedLM } from '@attn/models';
import { JsonlLoggerCallback, Trainer, latestCheckpoint, loadModelWeights, type TrainerCallback, type TrainOutput } from '@attn/trainer';
import { SaveOnSignalCallback } from '@attn/cli';
import { openSession, type PretrainSession } from '../pretrain_session';
import { parsePretrainFlags, type PretrainFlags } from '../pretrain_flags';
import { maskedPositionsLoss } from '../masked_lm_loss';
import { COLLATOR_STATE_FILE, loadCollatorState, saveCollatorState } from '../collator_state';
import { sinusoidalPositions, tilePositions } from '../pretrain_model';
import type { ClmEvaluation, MlmEvaluation } from '../heldout_eval';

export interface PretrainResult extends TrainOutput {
  outputDir: string;
  resumedFrom?: string;
}

const stamp = () => new Date().toISOString();

/**
 * `attn-pretrain train`: pretraining from scratch with the Trainer — MLM (BertForMaskedLM, dynamic masks, the
 * loss on the masked positions only through the Trainer's computeLoss) or CLM (GPT-2 / Llama blocks, the
 * model's own loss). Held-out loss every --eval-steps into eval.jsonl; rerunning the same command resumes
 * from the newest checkpoint bit-identically.
 */
export async function trainCommand(f: PretrainFlags, print: (s: string) => void = (s) => console.log(`[pretrain] ${s}`)): Promise<PretrainResult> {
  const s = parsePretrainFlags(f);
  await mkdir(s.outputDir, { recursive: true });
  const session = await openSession(s, print);
  const { model } = session;
  print(session.describe());
  try {
    return await train(session, print);
  } finally {
    model.dispose();
  }
}

async function train(session: PretrainSession, print: (s: string) => void): Promise<PretrainResult> {
  const s = session.settings;
  const { model, tokenizer } = session;
  const evalFile = join(s.outputDir, 'eval.jsonl');
  const pad = tokenizer.padTokenId ?? 0;

  const collator =
    s.objective === 'mlm'
      ? new MlmCollator({ maskTokenId: tokenizer.maskTokenId!, padTokenId: pad, vocabSize: tokenizer.getVocabSize(), seed: s.seed, mlmProbability: s.maskRate, wholeWordMask: s.wholeWordMask })
      : undefined;
  const loaderOptions = { batchSize: s.batchSize, shuffle: true, seed: s.seed, dropLast: true };
  const loader = collator
    ? new DataLoader(new ArrayDataset(session.trainIds.map(session.toFeature)), { ...loaderOptions, collate: collator.collate })
    : new DataLoader(new ArrayDataset(session.trainIds.map((inputIds): CausalLmFeature => ({ inputIds }))), { ...loaderOptions, collate: causalLmCollator({ padTokenId: pad }) });

  const resume = await latestCheckpoint(s.outputDir);
  if (resume) {
    if (collator && !loadCollatorState(resume, collator)) print(`${join(resume, COLLATOR_STATE_FILE)} is missing; the masks continue from a fresh collator state`);
    print(`resuming from ${resume}`);
  } else {
    if (s.sinusoidalPositions) sinusoidalPositions(model, Number(session.config.toJSON()['initializer_range'] ?? 0.02));
    if (s.initFrom) {
      // A second phase (e.g. 128-token segments after 32-token ones): weights only; optimiser, schedule
      // and data order start fresh, as in BERT's 128 → 512 phases.
      await loadModelWeights(model, s.initFrom);
      print(`initialised from ${s.initFrom}`);
      if (s.tilePositions !== undefined) {
        const [from, to] = tilePositions(model, s.tilePositions, s.objective);
        print(`position embeddings ${from}..${to} tiled from the first ${s.tilePositions}`);
      }
    }
    const m = session.evaluate();
    await appendFile(evalFile, JSON.stringify({ time: stamp(), step: 0, tokens_seen: 0, ...m }) + '\n');
    print(`eval step 0: ${evalLine(m)}`);
  }

  let stepStart = performance.now();
  let lastStep = 0;
  const pending: Array<Promise<void>> = [];
  const pretrainCallback: TrainerCallback = {
    onTrainBegin(ctx) {
      lastStep = ctx.state.globalStep;
      stepStart = performance.now();
    },
    onLog(ctx) {
      const l = ctx.logs!;
      if (typeof l['loss'] !== 'number') return;
      const sps = (ctx.state.globalStep - lastStep) / Math.max((performance.now() - stepStart) / 1000, 1e-9);
      lastStep = ctx.state.globalStep;
      stepStart = performance.now();
      print(`${stamp()} step ${ctx.state.globalStep}/${ctx.state.maxSteps} loss ${l['loss'].toFixed(4)} lr ${Number(l['learning_rate']).toExponential(3)} ${sps.toFixed(3)} step/s ${(sps * s.batchSize).toFixed(1)} seq/s tensors ${tf.memory().numTensors}`);
    },
    onStepEnd(ctx) {
      const step = ctx.state.globalStep;
      if (step % s.evalSteps !== 0 && step !== ctx.state.maxSteps) return;
      const m = session.evaluate();
      pending.push(appendFile(evalFile, JSON.stringify({ time: stamp(), step, tokens_seen: ctx.state.numInputExamples * s.seqLen, ...m }) + '\n'));
      print(`eval step ${step}: ${evalLine(m)}`);
      stepStart += m.eval_runtime * 1000;
    },
    onSave(ctx) {
      // After the trainer commits the directory; synchronous and durable (see saveCollatorState).
      if (collator) saveCollatorState(ctx.checkpointDir!, collator);
    },
  };

  const trainer = new Trainer({
    model,
    args: {
      outputDir: s.outputDir,
      learningRate: s.lr,
      perDeviceTrainBatchSize: s.batchSize,
      maxSteps: s.maxSteps,
      warmupSteps: Math.min(s.warmupSteps, s.maxSteps),
      weightDecay: s.weightDecay,
      lrSchedulerType: 'linear',
      maxGradNorm: 1.0,
      saveStrategy: 'steps',
      saveSteps: s.saveSteps,
      saveTotalLimit: s.saveTotalLimit,
      loggingSteps: s.loggingSteps,
      seed: s.seed,
      disableTqdm: true,
    },
    trainDataLoader: loader,
    computeLoss: model instanceof BertForMaskedLM ? maskedPositionsLoss(model) : undefined,
    // Ctrl-C / SIGTERM: a checkpoint after the current update (the collator state first), then exit 130 / 143.
    callbacks: [new JsonlLoggerCallback(), pretrainCallback, new SaveOnSignalCallback({ log: print })],
  });
  try {
    const out = await trainer.train(resume ? { resumeFromCheckpoint: resume } : {});
    if (trainer.state.globalStep % s.saveSteps !== 0) await trainer.saveCheckpoint();
    await Promise.all(pending);
    print(`done: ${out.globalStep} steps, training loss ${out.trainingLoss.toFixed(4)}`);
    return { ...out, outputDir: s.outputDir, resumedFrom: resume };
  } finally {
    trainer.dispose();
  }
}

/** One line of held-out figures. */
export function evalLine(m: MlmEvaluation | ClmEvaluation): string {
  if ('eval_mlm_loss' in m) {
    return `mlm loss ${m.eval_mlm_loss.toFixed(4)} ppl ${m.eval_perplexity.toFixed(1)} masked acc ${(100 * m.eval_masked_accuracy).toFixed(2)}% (${m.eval_masked_tokens} tokens, ${m.eval_runtime.toFixed(1)} s)`;
  }
  return `loss ${m.eval_loss.toFixed(4)} ppl ${m.eval_perplexity.toFixed(1)} next-token acc ${(100 * m.eval_token_accuracy).toFixed(2)}% (${m.eval_tokens} tokens, ${m.eval_runtime.toFixed(1)} s)`;
}
