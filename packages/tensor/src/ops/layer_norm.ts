import { tf } from '../tf';
import { customOp } from './custom_op';

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

const ops = new Map<number, ReturnType<typeof layerNormOp>>();

/** LayerNorm over the last axis with biased variance; eps inside the sqrt (BERT: 1e-12). Fused gradient. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-12): tf.Tensor {
  let op = ops.get(eps);
  if (!op) {
    op = layerNormOp(eps);
    ops.set(eps, op);
  }
  return op(x, gamma, beta);
}
