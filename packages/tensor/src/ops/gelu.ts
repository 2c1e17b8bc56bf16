import { tf } from '../tf';
import { customOp } from './custom_op';
import { hasFusedKernels } from './fused_dispatch';
import { GELU_GRAD_KERNEL, GELU_KERNEL } from './fused_kernel_names';

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

// d/dx [x Φ(x)] = Φ(x) + x φ(x): one saved input instead of the tape's five intermediates.
const geluOp = customOp(([x], save) => {
  save([x!]);
  const value = tf.tidy(() => tf.mul(tf.mul(x!, 0.5), tf.add(1, tf.erf(tf.mul(x!, INV_SQRT2)))));
  return {
    value,
    gradFunc: (dy, [xs]) => {
      const cdf = tf.mul(0.5, tf.add(1, tf.erf(tf.mul(xs!, INV_SQRT2))));
      const pdf = tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(tf.square(xs!), -0.5)));
      return [tf.mul(dy, tf.add(cdf, tf.mul(xs!, pdf)))];
    },
  };
});

// One pass forward and one backward over the FFN activations (the largest tensors of a step).
const geluKernelOp = customOp(([x], save) => {
  save([x!]);
  return {
    value: tf.engine().runKernel(GELU_KERNEL, { x: x! }, {}) as tf.Tensor,
    gradFunc: (dy, [xs]) => [tf.engine().runKernel(GELU_GRAD_KERNEL, { dy, x: xs! }, {}) as tf.Tensor],
  };
});

/**
 * GELU, exact erf form: 0.5 x (1 + erf(x / sqrt 2)) — HF "gelu". Fused gradient; runs the
 * AttnGelu / AttnGeluGrad kernels for float32 input where the active backend registers them.
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  if (x.dtype === 'float32' && hasFusedKernels(GELU_KERNEL, GELU_GRAD_KERNEL)) return geluKernelOp(x);
  return geluOp(x);
}
