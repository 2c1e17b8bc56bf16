// @attn/tensor/testing: helpers for tests of code built on attn (tensor-leak checks, numerical gradient
// checks). Kept off the main entry so that an application bundle does not carry them.
export { countNewTensors, expectNoTensorLeak, TensorLeakError } from './memory/tensor_leak';
export { checkGradients } from './ops/gradient_check';
export type { GradientCheckResult } from './ops/gradient_check';
export { auditDurableWrites } from './durable_write_audit';
export type { DurabilityReport } from './durable_write_audit';
