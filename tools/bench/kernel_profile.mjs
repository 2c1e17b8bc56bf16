// --profile for train.mjs / infer.mjs: where a step's time goes. Every kernel registered for the
// wasm backend (stock, attn's and the native ones) is wrapped with a timer, and the backend's
// readSync (what dataSync/arraySync end in) is counted, so a step splits into kernel time by name
// and everything else (tfjs dispatch, gradient tape, JS in the packages, collation). Wrapping the
// registry's own config objects costs two performance.now() calls per kernel: far less than
// tf.profile, which also records shapes and memory for every kernel.

/** Installs the counters on tf's wasm backend; returns { reset(), report(wallMs, steps) }. */
export function installKernelProfile(tf) {
  const byName = new Map();
  let reads = 0;
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    const row = { count: 0, ms: 0 };
    byName.set(config.kernelName, row);
    config.kernelFunc = (args) => {
      const t0 = performance.now();
      try {
        return inner(args);
      } finally {
        row.count += 1;
        row.ms += performance.now() - t0;
      }
    };
  }
  const backend = tf.backend();
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId) => {
    reads += 1;
    return readSync(dataId);
  };
  return {
    reset() {
      for (const row of byName.values()) {
        row.count = 0;
        row.ms = 0;
      }
      reads = 0;
    },
    /** Per step: kernel calls and ms by name (largest first), kernel total, the rest, readSyncs. */
    report(wallMs, steps) {
      const kernels = [...byName].filter(([, r]) => r.count > 0).map(([name, r]) => ({ name, calls: r.count / steps, ms: r.ms / steps })).sort((a, b) => b.ms - a.ms);
      const kernelMs = kernels.reduce((s, k) => s + k.ms, 0);
      const calls = kernels.reduce((s, k) => s + k.calls, 0);
      return { steps, wallMs: wallMs / steps, kernelMs, otherMs: wallMs / steps - kernelMs, kernelCalls: calls, readSyncs: reads / steps, kernels };
    },
  };
}

/** The profile as text: one summary line and the top kernels. */
export function formatKernelProfile(p, top = 25) {
  const lines = [
    `  per step: ${p.wallMs.toFixed(2)} ms wall = ${p.kernelMs.toFixed(2)} ms in ${p.kernelCalls.toFixed(0)} kernel calls + ${p.otherMs.toFixed(2)} ms outside kernels (${((100 * p.otherMs) / p.wallMs).toFixed(0)}%); ${p.readSyncs.toFixed(1)} synchronous read-backs`,
  ];
  for (const k of p.kernels.slice(0, top)) lines.push(`    ${k.name.padEnd(28)} ${k.calls.toFixed(1).padStart(7)} calls ${k.ms.toFixed(3).padStart(9)} ms`);
  return lines.join('\n');
}
