import { MetricsInputError } from './metrics_error';

/** A class label as sklearn accepts it: an integer or a string (never mixed in one call). */
export type Label = number | string;

/**
 * Anything tensor-like that can hand back its values. Matched structurally so
 * this package never imports TensorFlow.js: a `tf.Tensor` fits, and so does a
 * plain object with the same methods.
 */
export interface TensorLike {
  readonly shape?: readonly number[];
  arraySync?(): unknown;
  dataSync?(): ArrayLike<number> | ArrayLike<string>;
}

/** What label arguments accept: plain arrays, typed arrays, or a 1-D tensor-like. */
export type LabelInput = readonly Label[] | ArrayLike<number> | TensorLike;

function isTensorLike(x: unknown): x is TensorLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    (typeof (x as TensorLike).arraySync === 'function' || typeof (x as TensorLike).dataSync === 'function')
  );
}

/**
 * Turns any accepted label input into a plain array of labels. A tensor must
 * be 1-D: argmax predictions first (`logits.argMax(-1)`), then pass them in.
 */
export function toLabelArray(x: LabelInput, fn: string, field: string): Label[] {
  let values: unknown;
  if (Array.isArray(x)) values = x;
  else if (isTensorLike(x)) {
    if (x.shape !== undefined && x.shape.length !== 1) {
      throw new MetricsInputError(
        fn,
        field,
        `expected a 1-D tensor of labels, found shape [${x.shape.join(', ')}]; take argMax(-1) of logits first`,
      );
    }
    values = typeof x.arraySync === 'function' ? x.arraySync() : Array.from(x.dataSync!() as ArrayLike<number>);
  } else if (typeof x === 'object' && x !== null && typeof (x as ArrayLike<number>).length === 'number') {
    values = Array.from(x as ArrayLike<number>);
  } else {
    throw new MetricsInputError(fn, field, `expected an array, typed array or 1-D tensor, found ${typeof x}`);
  }
  const arr = values as unknown[];
  if (!Array.isArray(arr)) throw new MetricsInputError(fn, field, 'expected a 1-D array of labels');
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v === 'string') continue;
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) {
        throw new MetricsInputError(
          fn,
          field,
          `labels must be integers or strings; found ${v} at index ${i} (continuous values are not class labels)`,
        );
      }
      continue;
    }
    throw new MetricsInputError(fn, field, `labels must be integers or strings; found ${typeof v} at index ${i}`);
  }
  return arr as Label[];
}
