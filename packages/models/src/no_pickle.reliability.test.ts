// No format that can execute code is ever loaded: a model directory holding only PyTorch's
// pickle (pytorch_model.bin), TF's h5 or a flax msgpack is refused with a typed error that points
// at safetensors, and the pickle bytes are never read. The tokenizer readers parse only JSON and
// plain text; nothing in attn evaluates file content (no eval/Function/pickle/vm).
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadModel } from './index';

const MICRO = resolve(__dirname, '../../../fixtures/reference/checkpoints/micro-seqcls');

describe('no code-executing formats', () => {
  it('a directory with only pytorch_model.bin / tf_model.h5 / flax_model.msgpack is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attn-pickle-'));
    copyFileSync(join(MICRO, 'config.json'), join(dir, 'config.json'));
    // A pickle whose loading would run os.system: the bytes must never be interpreted.
    const pickle = Buffer.from("cos\nsystem\n(S'touch /tmp/attn-pwned'\ntR.", 'latin1');
    for (const f of ['pytorch_model.bin', 'tf_model.h5', 'flax_model.msgpack']) writeFileSync(join(dir, f), pickle);
    const before = statSync(join(dir, 'pytorch_model.bin')).atimeMs;
    let err: unknown;
    try {
      await loadModel(dir, { task: 'sequence-classification' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(TypeError);
    expect(err).not.toBeInstanceOf(RangeError);
    expect((err as Error).message).toMatch(/safetensors/);
    expect(statSync(join(dir, 'pytorch_model.bin')).atimeMs).toBe(before);
    rmSync(dir, { recursive: true, force: true });
  });

  it('no package source evaluates code from data (eval, new Function, vm, pickle)', () => {
    const root = resolve(__dirname, '../../');
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (name === 'node_modules' || name === 'dist') continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) {
          const src = readFileSync(p, 'utf8');
          // Allowed: Module.eval() (train/eval mode) and `new Function('s', 'return import(s)')`, a
          // constant dynamic import that bundlers cannot rewrite; neither touches file content.
          const code = src.replace(/new Function\('s', 'return import\(s\)'\)/g, '').replace(/\/\/.*$/gm, '');
          if (/(?<![.\w])eval\s*\((?!\)\s*[:{])|new\s+Function\s*\(|from\s+'node:vm'|\bunpickle|pickle\.load/.test(code)) offenders.push(p);
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
