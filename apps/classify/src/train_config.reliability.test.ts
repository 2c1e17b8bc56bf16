// Fuzzing `classify train` argument resolution (the command line as typed, --key=value, plus a
// --config JSON file, parsed by the train command itself): every input gives a TrainConfig whose
// numbers are the numbers written, or a one-line CliError. Long run: `node tools/reliability/fuzz.mjs`.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRAIN_DEFAULTS, type TrainConfig } from './train_config';
import { parseTrainArgs } from './train_args';
import { CliError } from './cli_error';

const RUNS = Number(process.env.ATTN_FUZZ_RUNS ?? 300);
const NUMERIC = ['lr', 'batchSize', 'epochs', 'weightDecay', 'warmupRatio', 'dropout', 'patience', 'loraRank', 'seed', 'maxLength', 'maxGradNorm', 'limit'] as const;
const STRINGS = ['train', 'dev', 'test', 'model', 'tokenizer', 'out', 'textColumn', 'textPairColumn', 'labelColumn', 'optimizer', 'scheduler', 'freeze', 'backend'] as const;
const KEYS = [...NUMERIC, ...STRINGS];

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

async function resolve(flags: Record<string, string>, config?: string): Promise<TrainConfig | CliError> {
  const args = [...(config ? ['--config', config] : []), ...Object.entries(flags).map(([k, v]) => `--${kebab(k)}=${v}`)];
  try {
    return await parseTrainArgs(args);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    expect(e.message).not.toContain('\n');
    return e;
  }
}

/** What a number written on the command line or in JSON means, or undefined if it is not one. */
function meant(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function checkFaithful(cfg: TrainConfig, sources: Record<string, unknown>[]): void {
  for (const key of NUMERIC) {
    const written = sources.map((s) => s[key]).filter((v) => v !== undefined).at(-1);
    if (written === undefined) continue;
    expect(cfg[key], key).toBe(meant(written));
  }
  for (const key of STRINGS) if (cfg[key] !== undefined) expect(typeof cfg[key], key).toBe('string');
  expect(Number.isInteger(cfg.batchSize) && cfg.batchSize >= 1).toBe(true);
  expect(cfg.epochs).toBeGreaterThan(0);
  expect(['adamw', 'sgd']).toContain(cfg.optimizer);
}

const cliValue = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('', ' ', '1', '-1', '0.5', '1e-3', 'NaN', 'Infinity', '0x10', '1_000', 'adamw', 'sgd', '3'), fc.double().map(String));
const jsonValue = fc.oneof(cliValue, fc.jsonValue({ maxDepth: 1 }), fc.double());

describe('resolveTrainConfig fuzzing', () => {
  it('command-line flags: a faithful TrainConfig or a CliError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...KEYS), cliValue, { maxKeys: 6 }), fc.boolean(), async (flags, required) => {
        const all = required ? { train: 't.tsv', model: 'bert-tiny', out: 'o', ...flags } : flags;
        const r = await resolve(all);
        if (!(r instanceof CliError)) checkFaithful(r, [TRAIN_DEFAULTS, all]);
      }),
      { numRuns: RUNS, seed: 21 },
    );
  });

  it('--config files with arbitrary JSON: a faithful TrainConfig or a CliError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attn-cfg-'));
    const path = join(dir, 'train.json');
    const file = fc.oneof(
      fc.dictionary(fc.constantFrom(...KEYS, 'unknownKey'), jsonValue, { maxKeys: 6 }).map((d) => JSON.stringify({ train: 't', model: 'm', out: 'o', ...d })),
      fc.jsonValue({ maxDepth: 2 }).map((j) => JSON.stringify(j)),
      fc.string({ maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(file, fc.dictionary(fc.constantFrom(...NUMERIC), cliValue, { maxKeys: 2 }), async (text, flags) => {
        writeFileSync(path, text);
        const r = await resolve(flags, path);
        if (!(r instanceof CliError)) checkFaithful(r, [TRAIN_DEFAULTS, JSON.parse(text) as Record<string, unknown>, flags]);
      }),
      { numRuns: RUNS, seed: 22 },
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
