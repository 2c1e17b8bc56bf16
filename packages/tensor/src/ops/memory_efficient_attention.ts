import { tf } from '../tf';
import { dropoutMask } from '../random/dropout';
import { globalGenerator } from '../random/global_generator';
import { customOp } from './custom_op';
import { flashAttentionKernel, flashAttentionKernelApplies } from './flash_attention_kernel';
import { matMul } from './mat_mul';

export interface MemoryEfficientAttentionOptions {
  /** Additive mask broadcastable to [batch, heads, seqQ, seqK] (0 keep, large negative drop); a constant. */
  additiveMask?: tf.Tensor;
  /** Query i attends keys j <= i + (seqK - seqQ) only (decoders; the offset is a KV cache's length). */
  causal?: boolean;
  /** Dropout on the attention probabilities (training only); masks are drawn per block from `seed`. */
  dropoutRate?: number;
  seed?: number;
  /**
   * Rows of queries per block (default 256) and keys per block (default 512). A block's temporaries are
   * [batch, heads, queryBlock, keyBlock] whatever the sequence length; larger blocks mean fewer, larger ops
   * (on wasm, 256 × 512 ran a BERT-mini attention forward + backward at 8 × 512 in half the time of 128 × 256).
   */
  queryBlock?: number;
  keyBlock?: number;
}

// The value causalAttentionMask adds, so fully padded rows come out as the eager path's (uniform weights).
const MASKED = 1e9;

interface Blocks {
  b: number;
  h: number;
  seqQ: number;
  seqK: number;
  d: number;
  qStarts: number[];
  kStarts: number[];
  qb: number;
  kb: number;
}

function starts(n: number, block: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < n; s += block) out.push(s);
  return out;
}

/**
 * The additive bias of block (query rows [r0, r0 + nq), keys [c0, c0 + nk)): the caller's mask sliced where it
 * varies, plus the causal part built for this block alone. Added as eager does (mask + causal, then to the scores).
 */
function blockBias(
  mask: tf.Tensor | undefined,
  causalOffset: number | undefined,
  r0: number,
  nq: number,
  c0: number,
  nk: number,
): tf.Tensor | undefined {
  let bias: tf.Tensor | undefined;
  if (mask) {
    const [mb, mh, mq, mk] = mask.shape as [number, number, number, number];
    bias =
      mq === 1 && mk === 1
        ? mask
        : tf.slice(mask, [0, 0, mq === 1 ? 0 : r0, mk === 1 ? 0 : c0], [mb, mh, mq === 1 ? 1 : nq, mk === 1 ? 1 : nk]);
  }
  if (causalOffset !== undefined && c0 + nk - 1 > r0 + causalOffset) {
    // Only blocks that cross the diagonal need it; blocks wholly after it are skipped by the caller.
    const data = new Float32Array(nq * nk);
    for (let i = 0; i < nq; i++) {
      for (let j = 0; j < nk; j++) data[i * nk + j] = c0 + j <= r0 + i + causalOffset ? 0 : -MASKED;
    }
    const causal = tf.tensor(data, [1, 1, nq, nk]);
    bias = bias ? tf.add(bias, causal) : causal;
  }
  return bias;
}

/** Whether key block [c0, ...) has any key a query in [r0, r0 + nq) may see. */
function visible(causalOffset: number | undefined, r0: number, nq: number, c0: number): boolean {
  return causalOffset === undefined || c0 <= r0 + nq - 1 + causalOffset;
}

/** Joins per-block tensors along the sequence axis and frees the parts at once (they would live to the scope's end). */
function concatRows(parts: tf.Tensor[]): tf.Tensor {
  if (parts.length === 1) return parts[0]!;
  const out = tf.concat(parts, 2);
  tf.dispose(parts);
  return out;
}

// A distinct dropout seed per (query block, key block), so the backward regenerates each block's mask alone.
function blockSeed(seed: number, i: number, j: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca77) ^ Math.imul(j + 1, 0xc2b2ae3d)) >>> 0;
}

/**
 * Tiled attention with an online softmax (FlashAttention, Dao et al. 2022; the backward of FlashAttention-2).
 * Per query block, the keys are visited block by block keeping the running row max m, the running sum l of
 * exp(s − m) and the unnormalised output; only q, k, v, the output, m and 1/l (rows, not [seq, seq]) are saved.
 * The backward recomputes each block's probabilities P = exp(s − m) / l and accumulates
 *   dV += P'ᵀ dO, dP = (dO Vᵀ) ⊙ M, dS = P ⊙ (dP − D), dQ += c dS K, dK += c dSᵀ Q,  D = rowsum(dO ⊙ O).
 * m and l are kept apart rather than as logsumexp m + log l: for a fully padded row m ≈ −1e9, where adding log l
 * in float32 is lost.
 */
function memoryEfficientOp(
  blocks: Blocks,
  scale: number,
  mask: tf.Tensor | undefined,
  causalOffset: number | undefined,
  rate: number,
  seed: number,
) {
  const { b, h, seqK, d, qStarts, kStarts, qb, kb } = blocks;
  const rows = (r0: number) => Math.min(qb, blocks.seqQ - r0);
  const cols = (c0: number) => Math.min(kb, seqK - c0);
  const drop = (i: number, j: number, nq: number, nk: number) =>
    rate > 0 ? dropoutMask([b, h, nq, nk], rate, blockSeed(seed, i, j)) : undefined;
  const scores = (qs: tf.Tensor, kj: tf.Tensor, bias: tf.Tensor | undefined) => {
    const s = matMul(qs, kj, false, true); // [b, h, nq, nk]
    return bias ? tf.add(s, bias) : s;
  };

  // Every key in one block (seqK <= keyBlock): the block's softmax is the whole row's, so it runs as one softmax
  // (a single kernel; native where @attn/tensor-native is loaded) and nothing beyond q, k, v and the output is saved.
  const oneKeyBlock = kStarts.length === 1;
  const rowProbs = (qs: tf.Tensor, kj: tf.Tensor, bias: tf.Tensor | undefined) =>
    tf.tidy(() => tf.softmax(scores(qs, kj, bias), -1));

  return customOp(([q, k, v], save) => {
    const outs: tf.Tensor[] = [];
    const ms: tf.Tensor[] = [];
    const invLs: tf.Tensor[] = [];
    qStarts.forEach((r0, i) => {
      const nq = rows(r0);
      let m: tf.Tensor | undefined;
      let l: tf.Tensor | undefined;
      let acc: tf.Tensor | undefined;
      const qs = tf.tidy(() => tf.mul(tf.slice(q!, [0, 0, r0, 0], [b, h, nq, d]), scale));
      if (oneKeyBlock) {
        const p = rowProbs(qs, k!, blockBias(mask, causalOffset, r0, nq, 0, seqK));
        qs.dispose();
        outs.push(
          tf.tidy(() => {
            const dm = drop(i, 0, nq, seqK);
            return matMul(dm ? tf.mul(p, dm) : p, v!);
          }),
        );
        p.dispose();
        return;
      }
      kStarts.forEach((c0, j) => {
        if (!visible(causalOffset, r0, nq, c0)) return;
        const nk = cols(c0);
        const next = tf.tidy(() => {
          const kj = tf.slice(k!, [0, 0, c0, 0], [b, h, nk, d]);
          const vj = tf.slice(v!, [0, 0, c0, 0], [b, h, nk, d]);
          // Block-sized temporaries are freed as soon as they are used: at most three [b, h, nq, nk] live at once.
          const s = scores(qs, kj, blockBias(mask, causalOffset, r0, nq, c0, nk));
          const blockMax = tf.max(s, -1, true);
          const mNew = m ? tf.maximum(m, blockMax) : blockMax;
          const p = tf.tidy(() => tf.exp(tf.sub(s, mNew)));
          s.dispose();
          const rowSum = tf.sum(p, -1, true);
          const pv = tf.tidy(() => {
            const dm = drop(i, j, nq, nk);
            return matMul(dm ? tf.mul(p, dm) : p, vj);
          });
          p.dispose();
          if (!m) return [mNew, rowSum, pv];
          const alpha = tf.exp(tf.sub(m, mNew)); // rescales what earlier blocks summed under the old max
          return [mNew, tf.add(tf.mul(l!, alpha), rowSum), tf.add(tf.mul(acc!, alpha), pv)];
        });
        tf.dispose([m!, l!, acc!].filter(Boolean));
        [m, l, acc] = next;
      });
      qs.dispose();
      const invL = tf.tidy(() => tf.reciprocal(l!));
      outs.push(tf.tidy(() => tf.mul(acc!, invL)));
      tf.dispose([l!, acc!]);
      ms.push(m!);
      invLs.push(invL);
    });
    const out = concatRows(outs);
    const rowStats = oneKeyBlock ? [] : [concatRows(ms), concatRows(invLs)]; // max and 1/sum, [b, h, seqQ, 1]
    save([q!, k!, v!, out, ...rowStats, ...(mask ? [mask] : [])]);
    return {
      value: out,
      gradFunc: (dO, saved) => {
        const [qS, kS, vS, oS] = saved;
        const [mS, invLS] = oneKeyBlock ? [] : saved.slice(4, 6);
        const maskS = mask ? saved[saved.length - 1] : undefined;
        const dQs: tf.Tensor[] = [];
        const dK: (tf.Tensor | undefined)[] = kStarts.map(() => undefined);
        const dV: (tf.Tensor | undefined)[] = kStarts.map(() => undefined);
        const accumulate = (list: (tf.Tensor | undefined)[], j: number, x: tf.Tensor) => {
          const prev = list[j];
          list[j] = prev ? tf.add(prev, x) : x;
          if (prev) tf.dispose([prev, x]);
        };
        qStarts.forEach((r0, i) => {
          const nq = rows(r0);
          const [qi, qs, dOi, mi, invLi, Di] = tf.tidy(() => {
            const qi = tf.slice(qS!, [0, 0, r0, 0], [b, h, nq, d]);
            const dOi = tf.slice(dO, [0, 0, r0, 0], [b, h, nq, d]);
            const oi = tf.slice(oS!, [0, 0, r0, 0], [b, h, nq, d]);
            return [
              qi,
              tf.mul(qi, scale),
              dOi,
              oneKeyBlock ? undefined : tf.slice(mS!, [0, 0, r0, 0], [b, h, nq, 1]),
              oneKeyBlock ? undefined : tf.slice(invLS!, [0, 0, r0, 0], [b, h, nq, 1]),
              tf.sum(tf.mul(dOi, oi), -1, true),
            ];
          });
          let dQi: tf.Tensor | undefined;
          kStarts.forEach((c0, j) => {
            if (!oneKeyBlock && !visible(causalOffset, r0, nq, c0)) return;
            const nk = cols(c0);
            const [dq, dk, dv] = tf.tidy(() => {
              const kj = tf.slice(kS!, [0, 0, c0, 0], [b, h, nk, d]);
              const vj = tf.slice(vS!, [0, 0, c0, 0], [b, h, nk, d]);
              const bias = blockBias(maskS, causalOffset, r0, nq, c0, nk);
              const p = oneKeyBlock ? rowProbs(qs!, kj, bias) : tf.tidy(() => tf.mul(tf.exp(tf.sub(scores(qs!, kj, bias), mi!)), invLi!));
              const dm = drop(i, j, nq, nk);
              const dv = tf.tidy(() => matMul(dm ? tf.mul(p, dm) : p, dOi!, true, false));
              const dS = tf.tidy(() => {
                const dPd = matMul(dOi!, vj, false, true);
                return tf.mul(p, tf.sub(dm ? tf.mul(dPd, dm) : dPd, Di!));
              });
              tf.dispose([p, ...(dm ? [dm] : [])]);
              const dq = matMul(dS, kj);
              const dk = matMul(dS, qs!, true, false); // c dSᵀ Q, with c already in qs
              return [dQi ? tf.add(dQi, dq) : dq, dk, dv];
            });
            if (dQi) dQi.dispose();
            dQi = dq;
            accumulate(dK, j, dk!);
            accumulate(dV, j, dv!);
          });
          dQs.push(tf.tidy(() => (dQi ? tf.mul(dQi, scale) : tf.zerosLike(qi!))));
          tf.dispose([qi!, qs!, dOi!, mi!, invLi!, Di!, dQi!].filter(Boolean));
        });
        // Key blocks no query sees (a causal mask with seqK > seqQ never leaves one, but keep the shapes whole).
        const filled = (list: (tf.Tensor | undefined)[]) =>
          list.map((t, j) => t ?? tf.zeros([b, h, cols(kStarts[j]!), d]));
        return [concatRows(dQs), concatRows(filled(dK)), concatRows(filled(dV))];
      },
    };
  });
}

/**
 * softmax(Q Kᵀ / sqrt(d) + mask) V for q [batch, heads, seqQ, d], k and v [batch, heads, seqK, d], computed in
 * blocks with an online softmax: memory grows linearly with the sequence length in the forward and the backward
 * (no [batch, heads, seqQ, seqK] tensor is made or saved). Same values and gradients as scaledDotProductAttention
 * up to float32 rounding; with dropout the masks are drawn per block, so they differ from the eager path's.
 * Where the backend registers the tiled attention kernels (FLASH_ATTENTION_KERNEL: @attn/tensor-native on wasm) they
 * run instead of the JS blocks (queryBlock / keyBlock then do not apply); their dropout mask is a hash of
 * (seed, row, key), the same in the forward and the backward.
 * With `causal` and seqQ > seqK, a query row that sees no key gets 0 (eager: the mean of v); decoders never have
 * seqQ > seqK (the keys are the cache plus the queries).
 */
export function memoryEfficientAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  opts: MemoryEfficientAttentionOptions = {},
): tf.Tensor {
  if (q.rank !== 4 || k.rank !== 4 || v.rank !== 4) {
    throw new RangeError(`memoryEfficientAttention: q, k and v must be [batch, heads, seq, headDim]; got ranks ${q.rank}, ${k.rank}, ${v.rank}.`);
  }
  const [b, h, seqQ, d] = q.shape as [number, number, number, number];
  const seqK = k.shape[2]!;
  if (k.shape[1] !== h || v.shape[1] !== h || v.shape[2] !== seqK) {
    throw new RangeError(
      `memoryEfficientAttention: k ${JSON.stringify(k.shape)} and v ${JSON.stringify(v.shape)} must match q's heads (${h}) and each other's length; repeat grouped key/value heads first.`,
    );
  }
  const rate = opts.dropoutRate ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}.`);
  const qb = Math.max(1, opts.queryBlock ?? 256);
  const kb = Math.max(1, opts.keyBlock ?? 512);
  const blocks: Blocks = { b, h, seqQ, seqK, d, qStarts: starts(seqQ, qb), kStarts: starts(seqK, kb), qb, kb };
  const seed = rate > 0 ? (opts.seed ?? globalGenerator().nextSeed()) : 0;
  return tf.tidy(() => {
    let mask = opts.additiveMask;
    if (mask && mask.rank < 4) mask = tf.reshape(mask, [...new Array(4 - mask.rank).fill(1), ...mask.shape]);
    if (flashAttentionKernelApplies(q, k, v, mask)) {
      // One native call per pass instead of a dozen tfjs ops per block (blocks are the kernel's own, 64 × 64).
      const attrs = { scale: 1 / Math.sqrt(d), causal: !!opts.causal, causalOffset: seqK - seqQ, dropoutRate: rate, seed: seed >>> 0 };
      return flashAttentionKernel(q, k, v, mask, attrs);
    }
    const op = memoryEfficientOp(blocks, 1 / Math.sqrt(d), mask, opts.causal ? seqK - seqQ : undefined, rate, seed);
    return op(q, k, v);
  });
}
