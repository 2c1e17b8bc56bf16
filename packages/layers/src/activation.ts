import { tf, gelu } from '@attn/tensor';

/** HF `hidden_act` names this package implements. */
export type ActivationName = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu' | 'silu' | 'tanh';

export class UnknownActivationError extends Error {
  override name = 'UnknownActivationError';
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

// tanh approximation 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): HF "gelu_new" / "gelu_pytorch_tanh".
function geluTanh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}

const ACTIVATIONS: Record<ActivationName, (x: tf.Tensor) => tf.Tensor> = {
  gelu, // exact erf form, HF "gelu"
  gelu_new: geluTanh,
  gelu_pytorch_tanh: geluTanh,
  relu: (x) => tf.relu(x),
  silu: (x) => tf.tidy(() => tf.mul(x, tf.sigmoid(x))),
  tanh: (x) => tf.tanh(x),
};

/** The activation function for an HF `hidden_act` name. */
export function activation(name: string): (x: tf.Tensor) => tf.Tensor {
  const fn = ACTIVATIONS[name as ActivationName];
  if (!fn) {
    throw new UnknownActivationError(
      `Unknown activation "${name}" (config field hidden_act); supported: ${Object.keys(ACTIVATIONS).join(', ')}.`,
    );
  }
  return fn;
}
