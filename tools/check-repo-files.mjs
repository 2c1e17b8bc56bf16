#!/usr/bin/env node
// Repository hygiene, run by tools/test-all.mjs (and so CI): no tracked file over 1 MiB unless it is a shipped
// model or tokenizer under models/, and no second tracked copy of a large file (repoint users to one copy).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_BYTES = 1024 * 1024;
const COPY_MIN_BYTES = 100 * 1024;
// Copies kept on purpose: each shipped model folder is self-contained (the apps and the playground load a folder),
// and HF ships GPT-2's BPE merges again with roberta-base, which the parity harness reads folder by folder.
const copiesAllowed = [/^models\/[^/]+\/tokenizer\.json$/, /^fixtures\/tokenizers\/(gpt2|roberta-base)\/merges\.txt$/];
const bigAllowed = /^models\/[^/]+\/(model\.safetensors|tokenizer\.json|vocab\.(txt|json)|merges\.txt)$/;

const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 })
  .split('\0')
  .filter(Boolean);
const problems = [];
const byHash = new Map();
for (const file of files) {
  let size;
  try {
    size = statSync(join(root, file)).size;
  } catch {
    continue; // deleted in the work tree, not yet committed
  }
  if (size > MAX_BYTES && !bigAllowed.test(file)) {
    problems.push(`${file}: ${(size / MAX_BYTES).toFixed(2)} MiB is over the 1 MiB limit for tracked files that are not a shipped model; keep it out of git (generate it, or read it from ../shared)`);
  }
  if (size >= COPY_MIN_BYTES && !copiesAllowed.some((re) => re.test(file))) {
    const hash = createHash('sha256').update(readFileSync(join(root, file))).digest('hex');
    byHash.set(hash, [...(byHash.get(hash) ?? []), file]);
  }
}
for (const same of byHash.values()) {
  if (same.length > 1) problems.push(`${same.join(', ')}: identical copies; keep one and point its users at it`);
}
for (const p of problems) console.error(`error: ${p}`);
console.log(`${files.length} tracked files checked: ${problems.length === 0 ? 'no file over 1 MiB outside models/, no duplicate copies' : `${problems.length} problem(s)`}`);
process.exit(problems.length === 0 ? 0 : 1);
