import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurableSync } from '@attn/tensor/durable_write';
import { CliError } from '@attn/cli';
import type { MlmCollator } from '@attn/data';

/** Where the MLM collator's random state goes in each checkpoint, so a resumed run draws the same masks. */
export const COLLATOR_STATE_FILE = 'mlm_collator_state.json';

const REMEDY = 'delete the file to resume with fresh masks (no longer bit-identical), or delete the checkpoint to resume from an earlier one';

/**
 * Writes the collator's state into a checkpoint just committed. Synchronous, so that the next step cannot move the
 * random stream first, and durable (flushed, renamed, directory flushed), so that a crash leaves no file (resume
 * then draws fresh masks) or a complete one, and a Ctrl-C checkpoint has it before the process exits.
 */
export function saveCollatorState(checkpointDir: string, collator: MlmCollator): void {
  writeFileDurableSync(join(checkpointDir, COLLATOR_STATE_FILE), JSON.stringify(collator.getState()));
}

/**
 * Restores the collator's state from a checkpoint. False when the checkpoint has no state file; a file that is not
 * the 4 uint32 words of getState() is a CliError naming the file and what is wrong.
 */
export function loadCollatorState(checkpointDir: string, collator: MlmCollator): boolean {
  const file = join(checkpointDir, COLLATOR_STATE_FILE);
  if (!existsSync(file)) return false;
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`${file}: not JSON (${(e as Error).message}); ${REMEDY}.`);
  }
  const problem = stateProblem(state);
  if (problem) throw new CliError(`${file}: the collator state ${problem}; expected the 4 uint32 words of MlmCollator.getState(); ${REMEDY}.`);
  collator.setState(state as number[]);
  return true;
}

function stateProblem(state: unknown): string | undefined {
  if (!Array.isArray(state)) return `is ${state === null ? 'null' : typeof state}, not an array`;
  if (state.length !== 4) return `has ${state.length} words`;
  const bad = state.findIndex((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff);
  if (bad >= 0) return `word [${bad}] is ${String(JSON.stringify(state[bad])).slice(0, 40)}`;
  if (state.every((w) => w === 0)) return 'is all zeros (xoshiro128** never leaves that state)';
  return undefined;
}
