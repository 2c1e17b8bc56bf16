/** Random access to examples or features; plain JS values, never tensors. */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
}

/** A dataset over an array held in memory. */
export class ArrayDataset<T> implements Dataset<T> {
  constructor(private readonly items: readonly T[]) {}
  get length(): number {
    return this.items.length;
  }
  get(index: number): T {
    if (index < 0 || index >= this.items.length) throw new RangeError(`index ${index} is outside 0..${this.items.length - 1}.`);
    return this.items[index]!;
  }
}

/** Applies `fn` lazily on every `get` (e.g. tokenization), so nothing is precomputed or held. */
export class MapDataset<S, T> implements Dataset<T> {
  constructor(
    private readonly source: Dataset<S>,
    private readonly fn: (item: S, index: number) => T,
  ) {}
  get length(): number {
    return this.source.length;
  }
  get(index: number): T {
    return this.fn(this.source.get(index), index);
  }
}
