// The single TensorFlow.js instance every attn package uses. The union package's Node
// entry is a CJS bundle that registers all gradients and chained ops on the shared
// tfjs-core, which the plain ESM build of tfjs-core does not do.
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Variable = tf.Variable;
