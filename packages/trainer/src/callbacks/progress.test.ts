import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressCallback, fitProgressLine } from './progress';
import type { CallbackContext } from './callback';

/**
 * A terminal `columns` wide, enough of one to replay what the bar writes: printable text, \r, \n,
 * ESC 7 / ESC 8 (save / restore cursor), CSI n G, CSI K (0, 1, 2) and autowrap on/off (CSI ?7 h/l);
 * other CSI sequences (cursor visibility) change nothing on screen.
 */
class FakeTerminal {
  readonly rows: string[][] = [[]];
  private row = 0;
  private col = 0;
  private saved = { row: 0, col: 0 };
  private autowrap = true;
  constructor(readonly columns: number) {}

  write(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (c === '\r') this.col = 0;
      else if (c === '\n') this.moveTo(this.row + 1, 0);
      else if (c === '\x1b' && s[i + 1] === '7') (this.saved = { row: this.row, col: this.col }), i++;
      else if (c === '\x1b' && s[i + 1] === '8') this.moveTo(this.saved.row, this.saved.col), i++;
      else if (c === '\x1b' && s[i + 1] === '[') {
        const m = /^\x1b\[(\??)(\d*)([A-Za-z])/.exec(s.slice(i))!;
        const [all, priv, n, cmd] = m;
        if (priv && n === '7') this.autowrap = cmd === 'h';
        else if (!priv && cmd === 'G') this.col = Math.max(0, Number(n || 1) - 1);
        else if (!priv && cmd === 'K') {
          const line = this.rows[this.row]!;
          if (n === '2') line.length = 0;
          else if (n === '1') for (let k = 0; k <= this.col && k < line.length; k++) line[k] = ' ';
          else line.length = Math.min(line.length, this.col);
        }
        i += all!.length - 1;
      } else this.put(c);
    }
  }

  private put(c: string): void {
    if (this.col >= this.columns) {
      if (this.autowrap) this.moveTo(this.row + 1, 0);
      else this.col = this.columns - 1; // without autowrap the last column is overwritten
    }
    const line = this.rows[this.row]!;
    while (line.length < this.col) line.push(' ');
    line[this.col++] = c;
  }

  private moveTo(row: number, col: number): void {
    while (this.rows.length <= row) this.rows.push([]);
    this.row = row;
    this.col = col;
  }

  lines(): string[] {
    return this.rows.map((r) => r.join('').trimEnd());
  }
}

function ttyStream(term: FakeTerminal) {
  const stream = new Writable({
    write(chunk, _enc, done) {
      term.write(String(chunk));
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number };
  stream.isTTY = true;
  stream.columns = term.columns;
  return stream;
}

const ctx = (globalStep: number, extra: Partial<CallbackContext> = {}): CallbackContext =>
  ({ args: { disableTqdm: false }, state: { globalStep, maxSteps: 20, epoch: globalStep / 10 }, control: {}, ...extra }) as unknown as CallbackContext;

describe('ProgressCallback on an 80-column terminal', () => {
  it('keeps the bar within 80 columns with its ETA, clears lines it replaces, and leaves the cursor on a fresh line', () => {
    const term = new FakeTerminal(80);
    const stream = ttyStream(term);
    term.write('Training: 2 epoch(s) × 10 batches of 32, adamw lr 2e-5\n');
    const progress = new ProgressCallback({ stream });
    progress.onTrainBegin(ctx(0));
    for (let step = 1; step <= 20; step++) {
      progress.onStepEnd(ctx(step, { loss: 0.7 - step / 100, learningRate: 2e-5 * (1 - step / 20) + 8.93e-6, examples: 32 }));
      if (step % 10 === 0) progress.onLog(ctx(step, { logs: { eval_loss: 0.6543, eval_accuracy: 0.8125, epoch: step / 10, step } }));
    }
    progress.onTrainEnd();
    // What the app prints next, on the same terminal.
    term.write('Trained 20 steps in 3.1 s (631.2 examples/s), final training loss 0.6833\n');

    const lines = term.lines().filter((l) => l !== '');
    for (const l of lines) expect(l.length).toBeLessThan(80);
    expect(lines[0]).toBe('Training: 2 epoch(s) × 10 batches of 32, adamw lr 2e-5');
    expect(lines[1]).toMatch(/^step 10\/20 \| epoch 1\.00 \| eval_loss 0\.6543 \| eval_accuracy 0\.8125$/);
    expect(lines[2]).toMatch(/^step 20\/20 \| epoch 2\.00 \| eval_loss 0\.6543 \| eval_accuracy 0\.8125$/);
    expect(lines[3]).toMatch(/^train \|█+\| 20\/20 \| loss 0\.5000 \| .*ETA 0s$/);
    expect(lines[4]).toBe('Trained 20 steps in 3.1 s (631.2 examples/s), final training loss 0.6833');
    expect(lines.length).toBe(5);
  });
});

describe('fitProgressLine', () => {
  const fields = { loss: '0.6833', lr: '8.93e-6', speed: '631.2', eta: '1m05s' };
  it('shrinks the bar, then drops lr, speed and loss; the step and ETA always show', () => {
    expect(fitProgressLine(120, 5, 10, fields)).toBe(`train |${'█'.repeat(20)}${'░'.repeat(20)}| 5/10 | loss 0.6833 | lr 8.93e-6 | 631.2 ex/s | ETA 1m05s`);
    for (const width of [80, 60, 40, 30, 20]) {
      const line = fitProgressLine(width, 5, 10, fields);
      expect(line.length).toBeLessThan(width);
      if (width >= 30) expect(line).toContain('5/10');
      if (width >= 30) expect(line).toContain('ETA 1m05s');
    }
    expect(fitProgressLine(60, 5, 10, fields)).not.toContain('lr ');
  });
});
