import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { latestCheckpoint, loadModelWeights } from '@attn/trainer';
import { CliError } from '@attn/cli';
import { exportCheckpoint, openSession } from '../pretrain_session';
import { parsePretrainFlags, type PretrainFlags } from '../pretrain_flags';
import type { ClmEvaluation, MlmEvaluation } from '../heldout_eval';
import { evalLine } from './train';

/** The checkpoint export and eval read: the newest in --output-dir. */
async function newestCheckpoint(outputDir: string): Promise<string> {
  const ckpt = await latestCheckpoint(outputDir);
  if (!ckpt) throw new CliError(`--output-dir ${outputDir}: no checkpoint-<step> directory to read; train first (the same flags).`);
  return ckpt;
}

/**
 * `attn-pretrain export <dir>`: the newest checkpoint of --output-dir as an HF directory that loadModel and
 * HF transformers read (pass the run's tokenizer and data flags: the held-out figures are recomputed).
 */
export async function exportCommand(dir: string, f: PretrainFlags, print: (s: string) => void = (s) => console.log(`[pretrain] ${s}`)): Promise<Record<string, unknown>> {
  const s = parsePretrainFlags(f);
  const ckpt = await newestCheckpoint(s.outputDir);
  const session = await openSession(s, print);
  try {
    const state = JSON.parse(await readFile(join(ckpt, 'trainer_state.json'), 'utf8')) as { globalStep: number; numInputExamples: number };
    const { metrics, summary } = await exportCheckpoint(session, ckpt, dir, state);
    print(`exported ${ckpt} → ${dir}: ${evalLine(metrics)}`);
    return summary;
  } finally {
    session.model.dispose();
  }
}

/** `attn-pretrain eval`: held-out figures of the newest checkpoint of --output-dir, as one JSON line. */
export async function evalCommand(f: PretrainFlags, print: (s: string) => void = (s) => console.log(s)): Promise<MlmEvaluation | ClmEvaluation> {
  const s = parsePretrainFlags(f);
  const ckpt = await newestCheckpoint(s.outputDir);
  const session = await openSession(s, () => undefined);
  try {
    await loadModelWeights(session.model, ckpt);
    const m = session.evaluate();
    print(JSON.stringify({ checkpoint: ckpt, ...m }));
    return m;
  } finally {
    session.model.dispose();
  }
}
