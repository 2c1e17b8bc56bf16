// The reference checkpoints of every family (fixtures/reference/families) and BERT's (fixtures/reference/checkpoints),
// with the inputs stored beside each, as [batch, seq] rows.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FAMILIES = join(ROOT, 'fixtures/reference/families');
const BERT = join(ROOT, 'fixtures/reference');

export interface ReferenceCheckpoint {
  name: string;
  /** 'base' for a bare base model (BertModel), else the head config.json names. */
  task?: 'base';
  dir: string;
  inputIds: number[][];
  attentionMask: number[][];
  tokenTypeIds?: number[][];
  /** PyTorch's float64 outputs for those inputs, by HF output name (logits, start_logits, ...), flattened. */
  hf: Record<string, number[]>;
}

function rows(flat: number[], shape: number[]): number[][] {
  const [b, s] = shape as [number, number];
  return Array.from({ length: b }, (_, i) => flat.slice(i * s, (i + 1) * s));
}

function outputs(json: { outputs?: Record<string, { data?: number[]; kind?: string }> }): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(json.outputs ?? {})) if (v && (v.kind === undefined || v.kind === 'full') && Array.isArray(v.data)) out[k] = v.data.flat(Infinity as 1) as number[];
  return out;
}

function load(vectorsFile: string, dir: string, name: string): ReferenceCheckpoint {
  const json = JSON.parse(readFileSync(vectorsFile, 'utf8'));
  const inputs = json.inputs;
  if (Array.isArray(inputs.input_ids[0])) {
    return { name, dir, inputIds: inputs.input_ids, attentionMask: inputs.attention_mask, tokenTypeIds: inputs.token_type_ids, hf: outputs(json) };
  }
  const shape = inputs.shape as number[];
  return {
    name,
    dir,
    inputIds: rows(inputs.input_ids, shape),
    attentionMask: rows(inputs.attention_mask, shape),
    tokenTypeIds: inputs.token_type_ids ? rows(inputs.token_type_ids, shape) : undefined,
    hf: outputs(json),
  };
}

/** Every reference checkpoint whose family is an encoder (decoders are exported separately). */
export function referenceCheckpoints(filter: (configJson: Record<string, unknown>) => boolean = () => true): ReferenceCheckpoint[] {
  const out: ReferenceCheckpoint[] = [];
  for (const name of readdirSync(join(FAMILIES, 'checkpoints')).sort()) {
    const dir = join(FAMILIES, 'checkpoints', name);
    if (filter(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')))) out.push(load(join(FAMILIES, 'vectors', `${name}.json`), dir, name));
  }
  for (const name of readdirSync(join(BERT, 'checkpoints')).sort()) {
    const dir = join(BERT, 'checkpoints', name);
    // micro-fp16 / bf16 / sharded share micro-seqcls's inputs; micro is the bare BertModel.
    const vectors = join(BERT, 'vectors', `${name}.json`);
    const file = existsSync(vectors) ? vectors : join(BERT, 'vectors', 'micro-seqcls.json');
    if (filter(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')))) {
      const ref = load(file, dir, name);
      out.push({ ...ref, hf: existsSync(vectors) ? ref.hf : {}, ...(name === 'micro' ? { task: 'base' as const } : {}) });
    }
  }
  return out;
}
