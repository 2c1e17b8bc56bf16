import { Module } from './module';

/** Children named '0', '1', ... as torch.nn.ModuleList (HF: `encoder.layer.0`). */
export class ModuleList<M extends Module> extends Module {
  private readonly items: M[] = [];

  constructor(items: M[] = []) {
    super();
    for (const m of items) this.append(m);
  }

  append(m: M): this {
    this.items.push(this.registerModule(String(this.items.length), m));
    return this;
  }

  get length(): number {
    return this.items.length;
  }

  at(i: number): M {
    const m = this.items[i];
    if (!m) throw new RangeError(`ModuleList: index ${i} outside [0, ${this.items.length}).`);
    return m;
  }

  override replaceModule<N extends Module>(name: string, m: N): Module {
    const old = super.replaceModule(name, m);
    this.items[Number(name)] = m as unknown as M;
    return old;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }
}
