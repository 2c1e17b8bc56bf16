import { tf } from '../tf';

/** Registers `config`, replacing any kernel already registered under the same name and backend (no warning). */
export function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
}
