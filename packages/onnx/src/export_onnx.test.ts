import { describe, it, expect, beforeAll } from 'vitest';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@attn/tensor';
import { auditDurableWrites } from '@attn/tensor/testing';
import { BertConfig, createModel, type TaskModel } from '@attn/models';
import { decodeModelProto, exportModelDirectory, exportOnnx, OnnxExportError, registerOnnxExporter, registeredOnnxExporters, onnxExporterFor } from './index';

const tiny = () => BertConfig.preset('bert-tiny', { vocab_size: 50, num_hidden_layers: 1, hidden_size: 16, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 16 });

describe('exportOnnx', () => {
  let model: TaskModel;
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    model = createModel('token-classification', tiny(), { seed: 3 }).eval() as TaskModel;
  });

  it('writes opset 17, IR 8, inputs and outputs named as HF Optimum names them, dynamic axes, weights under their HF keys', () => {
    const { bytes, inputNames, outputNames } = exportOnnx(model, { opset: 17, dynamicAxes: true });
    const proto = decodeModelProto(bytes);
    expect(proto.ir_version).toBe(8);
    expect([proto.producer_name, proto.producer_version]).toEqual(['attn', JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')).version]);
    expect(proto.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(outputNames).toEqual(['logits']);
    const dims = (v: (typeof proto.graph.input)[number]) => v.type.tensor_type.shape.dim.map((d) => ('dim_param' in d && d.dim_param) || (d as { dim_value: number }).dim_value);
    expect(proto.graph.input.map(dims)).toEqual([['batch_size', 'sequence_length'], ['batch_size', 'sequence_length'], ['batch_size', 'sequence_length']]);
    expect(proto.graph.input.map((i) => i.type.tensor_type.elem_type)).toEqual([7, 7, 7]); // int64
    expect(dims(proto.graph.output[0]!)).toEqual(['batch_size', 'sequence_length', 2]);
    const names = proto.graph.initializer.map((t) => t.name);
    expect(names).toContain('bert.embeddings.word_embeddings.weight');
    expect(names).toContain('bert.encoder.layer.0.attention.self.query.weight.T');
    expect(names).toContain('classifier.bias');
    expect(proto.graph.node.every((n) => !n.domain)).toBe(true);
  });

  it('dynamicAxes: false writes the fixed sizes it is given, and refuses without them', () => {
    const proto = decodeModelProto(exportOnnx(model, { dynamicAxes: false, inputShape: [1, 8] }).bytes);
    expect(proto.graph.input[0]!.type.tensor_type.shape.dim).toEqual([{ dim_value: 1 }, { dim_value: 8 }]);
    expect(() => exportOnnx(model, { dynamicAxes: false })).toThrow(/inputShape/);
  });

  it('opsets 17 to 21 load and agree in onnxruntime; others are refused with the range', async () => {
    const feeds = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from([2n, 7n, 9n, 3n]), [1, 4]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n, 1n]), [1, 4]),
      token_type_ids: new ort.Tensor('int64', BigInt64Array.from([0n, 0n, 1n, 1n]), [1, 4]),
    };
    const run = async (opset: number) => {
      const s = await ort.InferenceSession.create(exportOnnx(model, { opset }).bytes);
      const out = (await s.run(feeds))['logits']!.data as Float32Array;
      await s.release();
      return [...out];
    };
    const v17 = await run(17);
    expect(await run(21)).toEqual(v17);
    expect(() => exportOnnx(model, { opset: 16 })).toThrow(/17 to 21/);
  });

  it("quantize: 'int8' stores linear weights as int8 and runs, close to the float graph", async () => {
    const feeds = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from([2n, 7n, 9n, 3n, 11n, 4n]), [2, 3]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]), [2, 3]),
      token_type_ids: new ort.Tensor('int64', BigInt64Array.from([0n, 0n, 0n, 0n, 0n, 0n]), [2, 3]),
    };
    const run = async (bytes: Uint8Array) => {
      const s = await ort.InferenceSession.create(bytes);
      const out = [...((await s.run(feeds))['logits']!.data as Float32Array)];
      await s.release();
      return out;
    };
    const q = exportOnnx(model, { quantize: 'int8' });
    expect(q.opTypes).toEqual(expect.arrayContaining(['DynamicQuantizeLinear', 'MatMulInteger']));
    const proto = decodeModelProto(q.bytes);
    expect(proto.graph.initializer.find((t) => t.name === 'bert.encoder.layer.0.attention.self.query.weight.T_quantized')!.data_type).toBe(3);
    const [f, i8] = [await run(exportOnnx(model).bytes), await run(q.bytes)];
    const scale = Math.max(...f.map(Math.abs));
    for (let k = 0; k < f.length; k++) expect(Math.abs(f[k]! - i8[k]!)).toBeLessThan(0.05 * scale);
    expect(() => exportOnnx(model, { quantize: 'int4' as 'int8' })).toThrow(/quantize "int4"/);
  });

  it('exportModelDirectory writes the .onnx file and its companions durably (flushed, renamed into place, directory flushed)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'attn-onnx-'));
    try {
      await model.savePretrained(join(root, 'model'));
      writeFileSync(join(root, 'model', 'vocab.txt'), '[PAD]\n[UNK]\n');
      const out = join(root, 'onnx');
      const r = await auditDurableWrites(out, () => exportModelDirectory(join(root, 'model'), join(out, 'model.onnx')));
      expect(r).toEqual({ files: ['config.json', 'model.onnx', 'vocab.txt'], notDurable: [] });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a family without an exporter by name, and a second exporter for one model_type', () => {
    expect(() => onnxExporterFor('t5')).toThrow(OnnxExportError);
    expect(() => onnxExporterFor('t5')).toThrow(/registerOnnxExporter/);
    expect(() => registerOnnxExporter({ modelType: 'bert', tasks: [], build() {} })).toThrow(/already registered/);
    expect(registeredOnnxExporters().map((e) => e.modelType)).toEqual(expect.arrayContaining(['bert', 'roberta', 'electra', 'distilbert', 'albert']));
  });
});
