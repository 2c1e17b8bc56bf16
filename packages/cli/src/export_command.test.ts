import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { initBackend } from '@attn/tensor';
import { loadModel } from '@attn/models';
import { decodeModelProto } from '@attn/onnx';
import { registerExportCommand } from './export_command';

const ROBERTA = join(__dirname, '../../../fixtures/models/micro-roberta');
const tmp = mkdtempSync(join(tmpdir(), 'attn-cli-export-'));
const classifier = join(tmp, 'classifier');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = 0;
});

async function run(args: string[]): Promise<{ out: string[]; err: string }> {
  const out: string[] = [];
  let err = '';
  const p = new Command('attn-classify').exitOverride();
  registerExportCommand(p, { app: 'classify', task: 'sequence-classification', print: (l) => out.push(l) });
  const write = process.stderr.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    await p.parseAsync(['node', 'attn-classify', 'export', ...args]);
  } finally {
    process.stderr.write = write;
  }
  return { out, err };
}

describe('export command', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    // A RoBERTa classifier as `classify train` saves one: config, weights, tokenizer.
    const model = await loadModel(ROBERTA, { task: 'sequence-classification', numLabels: 2, quiet: true, seed: 1 });
    await model.savePretrained(classifier);
    model.dispose();
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(ROBERTA, f), join(classifier, f));
  });

  it('writes the .onnx file with the tokenizer and config beside it, and says what it wrote', async () => {
    const onnx = join(tmp, 'exported', 'onnx', 'model.onnx');
    const { out, err } = await run(['--model', classifier, '--out', onnx]);
    expect(err).toBe('');
    expect(out[0]).toMatch(/^wrote .*model\.onnx \(\d+\.\d MB, ONNX opset 17\): RobertaForSequenceClassification, inputs input_ids, attention_mask → outputs logits/);
    expect(out[1]).toBe('copied beside it: config.json, tokenizer.json, tokenizer_config.json');
    const proto = decodeModelProto(readFileSync(onnx));
    expect(proto.graph.output.map((o) => o.name)).toEqual(['logits']);
    expect(readFileSync(join(tmp, 'exported', 'onnx', 'tokenizer.json'))).toEqual(readFileSync(join(classifier, 'tokenizer.json')));
  });

  it('--int8 writes a dynamically quantized graph (MatMulInteger, int8 weights)', async () => {
    const onnx = join(tmp, 'int8', 'model.onnx');
    const { out, err } = await run(['--model', classifier, '--out', onnx, '--int8']);
    expect(err).toBe('');
    expect(out[0]).toMatch(/ONNX opset 17, int8 linear layers\)/);
    const proto = decodeModelProto(readFileSync(onnx));
    expect(proto.graph.node.some((n) => n.op_type === 'MatMulInteger')).toBe(true);
    expect(proto.graph.initializer.some((t) => t.data_type === 3)).toBe(true); // INT8
  });

  it('refuses a model for another task, a file name without .onnx and an opset out of range, in one line each', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--model', ROBERTA, '--out', join(tmp, 'x.onnx')], /is a masked-language model \(RobertaForMaskedLM\); classify needs a sequence-classification model/],
      [['--model', classifier, '--out', join(tmp, 'x')], /--out .*: name the file to write, ending in \.onnx/],
      [['--model', classifier, '--out', join(tmp, 'x.onnx'), '--opset', '16'], /--opset must be an integer in \[17, 21\]; got "16"/],
      [['--model', join(tmp, 'nowhere'), '--out', join(tmp, 'x.onnx')], /no config\.json/],
    ];
    for (const [args, message] of cases) {
      const { err } = await run(args);
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(process.exitCode).toBe(1);
      process.exitCode = 0;
    }
    expect(existsSync(join(tmp, 'x.onnx'))).toBe(false);
  });
});
