// A small, fast, seedable generator (xoshiro128**) whose whole state is four uint32
// words, so a checkpoint can save it and a resumed run draws the same numbers.

export class RandomStateError extends Error {
  override name = 'RandomStateError';
}

/** splitmix32: spreads one seed over the four state words (xoshiro must not start all-zero). */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Generator {
  private s = new Uint32Array(4);

  constructor(seed: number) {
    this.seed(seed);
  }

  /** Re-seeds in place. Non-integer or huge seeds are folded into 32 bits deterministically. */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw new RandomStateError(`Generator seed must be a finite number, got ${seed}.`);
    // Fold the high bits in too, so seeds that differ only above 2^32 still differ.
    const lo = seed >>> 0;
    const hi = Math.floor(Math.abs(seed) / 4294967296) >>> 0;
    const next = splitmix32(lo ^ Math.imul(hi, 0x27d4eb2d));
    for (let i = 0; i < 4; i++) this.s[i] = next();
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * out[i] = nextFloat() >= rate ? keep : 0 for every i, drawing exactly what that loop draws:
   * a dropout mask. The state lives in locals for the loop (a BERT step draws millions).
   */
  fillKeepMask(out: Float32Array, rate: number, keep: number): void {
    // u / 2^32 >= rate  ⇔  u >= rate · 2^32, exactly (both sides scale by a power of two).
    const threshold = rate * 4294967296;
    const st = this.s;
    let s0 = st[0]!;
    let s1 = st[1]!;
    let s2 = st[2]!;
    let s3 = st[3]!;
    for (let i = 0; i < out.length; i++) {
      const x = Math.imul(s1, 5);
      const u = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = u >= threshold ? keep : 0;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
  }

  /** Standard normal (Box–Muller; one value per call, no cached spare, so the state stays four words). */
  normal(): number {
    // 1 - u keeps the log argument in (0, 1].
    const u = 1 - this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling), for n up to 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new RandomStateError(`Generator.int(n) needs an integer 1 <= n <= 2^32, got ${n}.`);
    }
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i]!;
      array[i] = array[j]!;
      array[j] = tmp;
    }
    return array;
  }

  /** A fresh seed for a dependent stream (e.g. one dropout mask). */
  nextSeed(): number {
    return this.nextUint32();
  }

  /** Four uint32 words; JSON-safe, for checkpoints. */
  getState(): number[] {
    return Array.from(this.s);
  }

  setState(state: readonly number[]): void {
    if (
      !Array.isArray(state) ||
      state.length !== 4 ||
      state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff) ||
      state.every((w) => w === 0)
    ) {
      throw new RandomStateError(
        `Generator.setState expects the 4 uint32 words from getState() (not all zero), got ${JSON.stringify(state)}.`,
      );
    }
    this.s.set(state);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
