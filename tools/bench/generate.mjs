#!/usr/bin/env node
// Decoding speed with the KV cache: attn generate() against HF PyTorch generate() on the same weights (attn
// saves them, PyTorch loads that directory). Greedy, prompts of --prompt-len random tokens, --new-tokens new
// tokens each (EOS off, so every run decodes the same number), --threads threads each side, each side in its own
// child process so each peak RSS is its own. Needs the built packages and a Python with torch + transformers.
// --reps runs alternate the two sides (attn, PyTorch, then PyTorch, attn, ...) so a change in the machine's load
// hits both; each side reports the median of its runs. Besides wall-clock tokens/s each side reports the CPU time
// it spent per token (user + system, all threads): on a shared machine that moves far less with the load than the
// wall clock does.
//
//   node tools/bench/generate.mjs [--models gpt2,llama] [--batches 1,8] [--prompt-len 32] [--new-tokens 128]
//                                 [--threads 2] [--reps 3] [--python PATH] [--json FILE] [--quick]
//   child modes: --child-save DIR MODEL | --child-attn DIR BATCH
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAttn, startAttnBackend } from './attn_runtime.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const RESULT = 'BENCH_RESULT ';
const argv = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = argv.indexOf(name);
  return i < 0 ? dflt : argv[i + 1];
};
const quick = argv.includes('--quick');
const promptLen = Number(flag('--prompt-len', 32));
const newTokens = Number(flag('--new-tokens', quick ? 16 : 128));
const threads = Number(flag('--threads', 2));

// GPT-2 small (124M) and a Llama of similar size (12 × 768, GQA 12/4 heads, SwiGLU 2048, 32k vocabulary: ~110M).
const CONFIGS = {
  gpt2: { model_type: 'gpt2', vocab_size: 50257, n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024, architectures: ['GPT2LMHeadModel'] },
  llama: {
    model_type: 'llama', vocab_size: 32000, hidden_size: 768, intermediate_size: 2048, num_hidden_layers: 12, num_attention_heads: 12,
    num_key_value_heads: 4, max_position_embeddings: 2048, architectures: ['LlamaForCausalLM'],
  },
};

function prompts(batch) {
  // Deterministic ids in [10, 1000): the same on both sides.
  let s = 12345;
  return Array.from({ length: batch }, () => Array.from({ length: promptLen }, () => 10 + ((s = (s * 1103515245 + 12345) % 2147483648) % 990)));
}

if (argv[0] === '--child-save') {
  const [, dir, name] = argv;
  await startAttnBackend({ threads });
  const models = await importAttn('models');
  const cfg = CONFIGS[name];
  const config = (name === 'gpt2' ? models.GPT2Config : models.LlamaConfig).fromJSON(cfg);
  const model = models.createModel('causal-lm', config, { seed: 42 });
  await model.savePretrained(dir);
  process.exit(0);
}

if (argv[0] === '--child-attn') {
  const [, dir, batchArg] = argv;
  const { kernels } = await startAttnBackend({ threads });
  const models = await importAttn('models');
  const model = await models.loadModel(dir, { quiet: true });
  const ids = prompts(Number(batchArg));
  models.generate(model, ids, { maxNewTokens: 2, eosTokenId: null }); // warm-up: kernels, caches
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = models.generate(model, ids, { maxNewTokens: newTokens, eosTokenId: null });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const generated = out.sequences.reduce((n, s) => n + s.length - promptLen, 0);
  const cpuMsPerToken = (cpu.user + cpu.system) / 1000 / generated;
  console.log(RESULT + JSON.stringify({ side: 'attn', kernels, seconds, tokensPerSecond: generated / seconds, cpuMsPerToken, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const python = flag('--python', process.env.ATTN_PYTHON ?? '/tmp/hfvenv/bin/python');
const names = flag('--models', 'gpt2,llama').split(',');
const batches = flag('--batches', quick ? '1' : '1,8').split(',').map(Number);
const reps = Number(flag('--reps', quick ? 1 : 3));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Median tokens/s and CPU ms per token of a side's runs, and its largest peak RSS. */
const summarize = (runs) => ({
  ...runs[0],
  tokensPerSecond: median(runs.map((r) => r.tokensPerSecond)),
  cpuMsPerToken: median(runs.map((r) => r.cpuMsPerToken)),
  maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)),
  runs: runs.map((r) => ({ tokensPerSecond: r.tokensPerSecond, cpuMsPerToken: r.cpuMsPerToken, maxRssMB: r.maxRssMB })),
});
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ATTN_QUIET_NATIVE: '1' }, maxBuffer: 1 << 26 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(RESULT));
  if (r.status !== 0 || !line) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(line.slice(RESULT.length));
};
const rows = [];
const tmp = mkdtempSync(join(tmpdir(), 'attn-bench-generate-'));
try {
  for (const name of names) {
    const dir = join(tmp, name);
    const save = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child-save', dir, name], { encoding: 'utf8' });
    if (save.status !== 0) throw new Error(save.stderr);
    for (const batch of batches) {
      const attnRun = () => run(process.execPath, [fileURLToPath(import.meta.url), '--child-attn', dir, String(batch), '--prompt-len', String(promptLen), '--new-tokens', String(newTokens), '--threads', String(threads)]);
      const torchRun = () => run(python, [join(here, 'torch_generate.py'), dir, String(batch), String(promptLen), String(newTokens), String(threads)]);
      const attnRuns = [];
      const torchRuns = [];
      const load0 = loadavg()[0];
      for (let r = 0; r < reps; r++) {
        // attn first on even runs, PyTorch first on odd ones.
        if (r % 2 === 0) attnRuns.push(attnRun()), torchRuns.push(torchRun());
        else torchRuns.push(torchRun()), attnRuns.push(attnRun());
      }
      const attn = summarize(attnRuns);
      const torch = summarize(torchRuns);
      const row = {
        model: name, batch, promptLen, newTokens, threads, reps, attn, torch,
        ratio: attn.tokensPerSecond / torch.tokensPerSecond,
        cpuRatio: torch.cpuMsPerToken / attn.cpuMsPerToken,
        loadAverage: [load0, loadavg()[0]],
      };
      rows.push(row);
      console.log(
        `${name.padEnd(6)} batch ${String(batch).padStart(2)}: attn ${attn.tokensPerSecond.toFixed(1).padStart(7)} tok/s ${attn.cpuMsPerToken.toFixed(0).padStart(5)} cpu-ms/tok (RSS ${attn.maxRssMB.toFixed(0)} MB)  ` +
          `PyTorch ${torch.tokensPerSecond.toFixed(1).padStart(7)} tok/s ${torch.cpuMsPerToken.toFixed(0).padStart(5)} cpu-ms/tok (RSS ${torch.maxRssMB.toFixed(0)} MB)  ` +
          `ratio ${row.ratio.toFixed(2)}x (CPU time ${row.cpuRatio.toFixed(2)}x; ${reps} alternating runs each, median; load ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)})`,
      );
    }
  }
  console.log(`attn: ${rows[0]?.attn.kernels}; PyTorch ${rows[0]?.torch.version}; CPU: ${cpus()[0]?.model} × ${cpus().length}`);
  const json = flag('--json');
  if (json) writeFileSync(json, JSON.stringify(rows, null, 2) + '\n');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
