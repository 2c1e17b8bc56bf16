import { tf } from '../tf';

/** What a fused op's forward returns: its value and the gradient of each input. */
export interface FusedForward {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
}

/**
 * tf.customGrad with plain positional typing. The forward runs under the engine's scope:
 * intermediates are freed unless passed to `save`, which keeps them until the backward pass.
 */
export function customOp(
  forward: (inputs: tf.Tensor[], save: (tensors: tf.Tensor[]) => void) => FusedForward,
): (...inputs: tf.Tensor[]) => tf.Tensor {
  const f = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const { value, gradFunc } = forward(args as tf.Tensor[], save);
    return { value, gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => gradFunc(dy as tf.Tensor, saved) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (...inputs: tf.Tensor[]) => f(...inputs);
}
