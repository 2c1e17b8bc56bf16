// The study's append-only JSONL journal: one event per line, written before the study moves on,
// so a study killed at any point (SIGKILL included) replays to the state it had. Only the study
// process writes; trial processes talk to it instead.
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Direction, TrialState } from './frozen_trial';
import type { Params, SearchSpace } from './search_space';

export type JournalEvent =
  | { op: 'study'; version: 1; direction: Direction; space: SearchSpace; sampler: string; pruner: string; seed: number; time: number }
  | { op: 'ask'; trial: number; params: Params; time: number; retryOf?: number }
  | { op: 'report'; trial: number; step: number; value: number }
  | { op: 'tell'; trial: number; state: Exclude<TrialState, 'running'>; value?: number; error?: string; interrupted?: boolean; time: number };

export class JournalError extends Error {
  override name = 'JournalError';
}

export class Journal {
  constructor(readonly path: string) {}

  /**
   * The events written so far. A last line cut short by a kill (no newline, not JSON) is dropped
   * and cut from the file so the next event starts on a clean line; a bad line elsewhere is an error.
   */
  read(): JournalEvent[] {
    if (!existsSync(this.path)) return [];
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    const events: JournalEvent[] = [];
    let offset = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const isLast = i === lines.length - 1;
      if (line.trim() !== '') {
        try {
          events.push(JSON.parse(line) as JournalEvent);
        } catch {
          if (isLast) {
            truncateSync(this.path, Buffer.byteLength(text.slice(0, offset)));
            break;
          }
          throw new JournalError(`${this.path}:${i + 1}: not a JSON event (${line.slice(0, 60)}); the journal is damaged — move it aside to start a new study`);
        }
        if (isLast) {
          // A complete event without its newline: finish the line before appending.
          appendFileSync(this.path, '\n');
        }
      }
      offset += line.length + 1;
    }
    return events;
  }

  append(event: JournalEvent): void {
    // The first event creates the journal's folder, as Optuna's JournalFileBackend does not but a user expects.
    if (!existsSync(this.path)) mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a');
    try {
      appendFileSync(fd, JSON.stringify(event) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
