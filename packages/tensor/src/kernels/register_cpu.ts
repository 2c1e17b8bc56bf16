// Replacements for cpu-backend kernels that are unusable at BERT scale.
import { replaceKernel } from './register_kernel';
import { unsortedSegmentSumCpu } from './unsorted_segment_sum';

let registered = false;

export function registerCpuKernels(): void {
  if (registered) return;
  registered = true;
  replaceKernel(unsortedSegmentSumCpu);
}
