import { tf } from '../tf';
import { customOp } from './custom_op';
import { hasFusedKernels } from './fused_dispatch';
import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL } from './fused_kernel_names';

function layerNormOp(eps: number) {
  return customOp(([x, gamma, beta], save) => {
    const { mean, variance } = tf.moments(x!, -1, true);
    const rstd = tf.rsqrt(tf.add(variance, eps)); // [..., 1]
    const xhat = tf.mul(tf.sub(x!, mean), rstd);
    save([xhat, rstd, gamma!]);
    const value = tf.add(tf.mul(xhat, gamma!), beta!);
    return {
      value,
      gradFunc: (dy, [xh, rs, g]) => {
        const h = xh!.shape[xh!.rank - 1]!;
        const dy2 = tf.reshape(dy, [-1, h]);
        const dBeta = tf.sum(dy2, 0);
        const dGamma = tf.sum(tf.mul(dy2, tf.reshape(xh!, [-1, h])), 0);
        // dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = dy gamma.
        const dxhat = tf.mul(dy, g!);
        const m1 = tf.mean(dxhat, -1, true);
        const m2 = tf.mean(tf.mul(dxhat, xh!), -1, true);
        const dx = tf.mul(rs!, tf.sub(tf.sub(dxhat, m1), tf.mul(xh!, m2)));
        return [dx, tf.reshape(dGamma, g!.shape), tf.reshape(dBeta, g!.shape)];
      },
    };
  });
}

// The kernel's forward also returns per-row mean and 1/std, so the backward reads x once more
// instead of keeping xhat alive between the passes.
function layerNormKernelOp(eps: number) {
  return customOp(([x, gamma, beta], save) => {
    const [y, mean, rstd] = tf.engine().runKernel(LAYER_NORM_KERNEL, { x: x!, gamma: gamma!, beta: beta! }, { eps }) as tf.Tensor[];
    save([x!, gamma!, mean!, rstd!]);
    return {
      value: y!,
      gradFunc: (dy, [xs, g, m, r]) =>
        tf.engine().runKernel(LAYER_NORM_GRAD_KERNEL, { dy, x: xs!, gamma: g!, mean: m!, rstd: r! }, {}) as tf.Tensor[],
    };
  });
}

type LayerNormOp = ReturnType<typeof layerNormOp>;
const ops = new Map<number, LayerNormOp>();
const kernelOps = new Map<number, LayerNormOp>();

function cached(cache: Map<number, LayerNormOp>, eps: number, make: (eps: number) => LayerNormOp): LayerNormOp {
  let op = cache.get(eps);
  if (!op) {
    op = make(eps);
    cache.set(eps, op);
  }
  return op;
}

/** The fused kernels take float32 x of rank ≥ 1 and gamma, beta of shape [hidden] exactly. */
function kernelApplies(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): boolean {
  const hidden = x.shape[x.rank - 1];
  return (
    x.rank >= 1 &&
    [x, gamma, beta].every((t) => t.dtype === 'float32') &&
    gamma.rank === 1 &&
    beta.rank === 1 &&
    gamma.shape[0] === hidden &&
    beta.shape[0] === hidden &&
    hasFusedKernels(LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL)
  );
}

/**
 * LayerNorm over the last axis with biased variance; eps inside the sqrt (BERT: 1e-12). Fused
 * gradient; runs the AttnLayerNorm / AttnLayerNormGrad kernels where the active backend registers them.
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-12): tf.Tensor {
  if (kernelApplies(x, gamma, beta)) return cached(kernelOps, eps, layerNormKernelOp)(x, gamma, beta);
  return cached(ops, eps, layerNormOp)(x, gamma, beta);
}
