import { describe, it, expect, beforeAll } from 'vitest';
import { initBackend, Generator } from '@attn/tensor';
import { deferParameterInit } from './parameter_init';
import { TransformerEncoderLayer } from './transformer_encoder_layer';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('deferParameterInit', () => {
  const config = { hiddenSize: 8, numHeads: 2, intermediateSize: 16 };

  it('builds with zeros and draws only the parameters materialised, the same values as an eager build', () => {
    const eager = new TransformerEncoderLayer(config, { rng: new Generator(9) });
    const { value: lazy, materialize } = deferParameterInit(() => new TransformerEncoderLayer(config, { rng: new Generator(9) }));
    const named = lazy.namedParameters();
    expect(named.every(([, v]) => v.dataSync().every((x) => x === 0))).toBe(true);
    materialize(named.map(([, v]) => v));
    const want = eager.stateDict();
    for (const [n, v] of named) expect(Array.from(v.dataSync()), n).toEqual(Array.from(want[n]!.dataSync()));
    eager.dispose();
    lazy.dispose();
  });

  it('leaves non-materialised parameters alone and does not nest', () => {
    const { value, materialize } = deferParameterInit(() => new TransformerEncoderLayer(config));
    const ln = value.attention.output.LayerNorm.weight;
    materialize([ln]);
    expect(ln.dataSync().every((x) => x === 1)).toBe(true);
    expect(value.attention.self.query.weight.dataSync().every((x) => x === 0)).toBe(true);
    expect(() => deferParameterInit(() => deferParameterInit(() => 1))).toThrow(/nest/);
    value.dispose();
  });
});
