/**
 * A trainer's progress as one rewritten stderr line per stage ("Compute merges 1200/4000"), as
 * HF's progress bars; silent when asked to be, when stderr is not a terminal, or in a browser.
 */
export class TrainingProgress {
  private readonly out: { write(s: string): unknown } | null;
  private name = '';
  private total = 0;
  private n = 0;
  private last = 0;

  constructor(show: boolean) {
    const stderr = (globalThis as { process?: { stderr?: { isTTY?: boolean; write(s: string): unknown } } }).process?.stderr;
    this.out = show && stderr?.isTTY ? stderr : null;
  }

  stage(name: string, total: number): void {
    if (this.name) this.done();
    this.name = name;
    this.total = total;
    this.n = 0;
    this.last = 0;
    this.print();
  }

  tick(): void {
    this.n++;
    if (this.out === null) return;
    const now = Date.now();
    if (now - this.last >= 200) this.print(now);
  }

  done(): void {
    if (this.out && this.name) this.out.write(`\r[train] ${this.name} ${this.n}/${this.total} done\n`);
    this.name = '';
  }

  private print(now = Date.now()): void {
    this.last = now;
    this.out?.write(`\r[train] ${this.name} ${this.n}/${this.total}`);
  }
}
