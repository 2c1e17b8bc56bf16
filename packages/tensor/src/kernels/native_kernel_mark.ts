/**
 * @attn/tensor-native marks every kernel config it registers with this symbol, holding the stock config it
 * replaced (null for a fused kernel with none). Symbol.for, so ESM and CJS copies of either package agree on it.
 */
export const NATIVE_KERNEL_MARK = Symbol.for('attn.tensor-native.kernel');
