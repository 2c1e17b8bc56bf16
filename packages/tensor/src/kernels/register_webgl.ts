// Kernels attn adds to the webgl backend; registered once when webgl is chosen.
import { adamwWebglKernel } from './adamw_webgl';
import { replaceKernel } from './register_kernel';

let registered = false;

export function registerWebglKernels(): void {
  if (registered) return;
  registered = true;
  replaceKernel(adamwWebglKernel);
}
