import { Generator as SeededGenerator } from '@attn/tensor';
import type { Batch, Collator } from './collator';
import type { Dataset } from './dataset';

export interface DataLoaderOptions<T, B = Batch> {
  batchSize: number;
  /** Reshuffle every epoch; the order is a pure function of (seed, epoch). */
  shuffle?: boolean;
  /** Default 0. */
  seed?: number;
  /** Drop the last batch when it is smaller than batchSize. */
  dropLast?: boolean;
  /**
   * Batch items of similar length together (HF's LengthGroupedSampler): shuffle, cut into
   * mega-batches of 50 batches, sort each by length, longest batch first. Less padding per batch.
   */
  groupByLength?: boolean;
  /** Length of an item for groupByLength; default: `item.inputIds.length`. */
  lengthOf?: (item: T) => number;
  collate: Collator<T, B>;
}

const MEGABATCH_MULT = 50;

function defaultLength(item: unknown): number {
  const ids = (item as { inputIds?: ArrayLike<number> } | null)?.inputIds;
  if (!ids) throw new TypeError('groupByLength needs `lengthOf` for items without an `inputIds` array.');
  return ids.length;
}

/** Mixes seed and epoch into one 32-bit seed so that each epoch has its own order. */
function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0;
}

/**
 * Iterates a dataset in batches, collating each batch into tensors only when it is reached, so
 * the tokenised dataset is never held as tensors. Each `for..of` is one epoch.
 */
export class DataLoader<T, B = Batch> implements Iterable<B> {
  private epoch = 0;
  private lengths: number[] | null = null;

  constructor(
    readonly dataset: Dataset<T>,
    private readonly opts: DataLoaderOptions<T, B>,
  ) {
    if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${opts.batchSize}.`);
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    const b = this.opts.batchSize;
    return this.opts.dropLast ? Math.floor(n / b) : Math.ceil(n / b);
  }

  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  /** The dataset indices of each batch of the current epoch, in order. */
  batchIndices(): number[][] {
    const n = this.dataset.length;
    const b = this.opts.batchSize;
    let order = Array.from({ length: n }, (_, i) => i);
    if (this.opts.shuffle) new SeededGenerator(epochSeed(this.opts.seed ?? 0, this.epoch)).shuffle(order);
    if (this.opts.groupByLength) order = this.groupByLength(order);
    const batches: number[][] = [];
    for (let i = 0; i < n; i += b) {
      const batch = order.slice(i, i + b);
      if (batch.length < b && this.opts.dropLast) break;
      batches.push(batch);
    }
    return batches;
  }

  private groupByLength(order: number[]): number[] {
    const lengthOf = this.opts.lengthOf ?? defaultLength;
    this.lengths ??= Array.from({ length: this.dataset.length }, (_, i) => lengthOf(this.dataset.get(i)));
    const lengths = this.lengths;
    const mega = this.opts.batchSize * MEGABATCH_MULT;
    const out: number[] = [];
    for (let i = 0; i < order.length; i += mega) {
      // Stable sort keeps the shuffled order among equal lengths.
      out.push(...order.slice(i, i + mega).sort((x, y) => lengths[y]! - lengths[x]!));
    }
    // The longest batch goes first so an out-of-memory shows at once, as in HF.
    let longest = 0;
    for (let i = 0; i < out.length; i += mega) if (lengths[out[i]!]! > lengths[out[longest]!]!) longest = i;
    if (longest !== 0) {
      const b = this.opts.batchSize;
      const first = out.slice(0, b);
      const other = out.slice(longest, longest + b);
      if (first.length === other.length) {
        out.splice(0, b, ...other);
        out.splice(longest, b, ...first);
      }
    }
    return out;
  }

  [Symbol.iterator](): Iterator<B> {
    return this.batches();
  }

  /** One epoch of batches; `skip` passes over the first k batches without collating them (resume). */
  *batches(opts: { skip?: number } = {}): IterableIterator<B> {
    const indices = this.batchIndices();
    for (let k = opts.skip ?? 0; k < indices.length; k++) {
      yield this.opts.collate(indices[k]!.map((i) => this.dataset.get(i)));
    }
  }
}
