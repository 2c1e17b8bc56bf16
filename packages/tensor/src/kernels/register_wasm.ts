// Kernels the wasm backend lacks or runs slowly; registered once when wasm is chosen.
let registered = false;

export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
}
