import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { groupTexts, packSequences, type FeatureTokenizer } from '@attn/data';
import { writeFileDurable } from '@attn/tensor/durable_write';
import type { Objective } from './pretrain_model';

export interface SegmentCache {
  /** Folder of the cache files (tokenising the books takes minutes: the ids are kept). */
  dir: string;
  /** The tokenizer's files: their content hash keys the cache (two 8k tokenizers share a size). */
  tokenizerFiles: readonly string[];
  /** Distinguishes a vocab.txt read cased from the same file read lower-cased. */
  variant?: string;
}

/**
 * Token-id segments of `seqLen` tokens: MLM segments are [CLS] … [SEP] (packSequences, HF run_mlm's
 * group_texts); CLM blocks are the texts' ids run together and cut (groupTexts, HF run_clm). Cached as
 * JSON under `cache.dir`, keyed by name, tokenizer hash, objective and length.
 */
export function segmentIds(
  name: string,
  texts: () => Promise<string[]>,
  tokenizer: FeatureTokenizer,
  opts: { objective: Objective; seqLen: number; cache: SegmentCache; log?: (s: string) => void },
): Promise<number[][]> {
  const { objective, seqLen, cache } = opts;
  const sha = createHash('sha256');
  for (const f of cache.tokenizerFiles) sha.update(readFileSync(f));
  const hash = sha.digest('hex').slice(0, 10);
  const kind = objective === 'clm' ? '-clm' : '';
  const file = `${cache.dir}/${name}-${basename(cache.tokenizerFiles[0]!)}-${hash}${cache.variant ? `-${cache.variant}` : ''}-${tokenizer.getVocabSize()}${kind}-s${seqLen}.json`;
  return (async () => {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as number[][];
    const t0 = performance.now();
    const all = await texts();
    const segs: number[][] = [];
    if (objective === 'mlm') for (const f of packSequences(tokenizer, all, { maxLength: seqLen })) segs.push(f.inputIds);
    else for (const f of groupTexts((function* () { for (const t of all) yield tokenizer.encode(t).ids; })(), { blockSize: seqLen })) segs.push(f.inputIds);
    mkdirSync(dirname(file), { recursive: true });
    await writeFileDurable(file, JSON.stringify(segs));
    opts.log?.(`packed ${name}: ${all.length} paragraphs → ${segs.length} segments of ${seqLen} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${file})`);
    return segs;
  })();
}
