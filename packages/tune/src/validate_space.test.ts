import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateSpace } from './validate_space';
import { SpaceError } from './space_error';
import { RandomSampler } from './samplers/random_sampler';
import { Rng } from './rng';
import { isActive } from './search_space';

const fails = (raw: unknown, message: string, opts = {}) => {
  let err: unknown;
  try {
    validateSpace(raw, opts);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SpaceError);
  expect((err as Error).message).toBe(message);
  expect((err as Error).message).not.toContain('\n');
};

describe('validateSpace', () => {
  it('accepts a space with every kind of parameter and a condition', () => {
    const space = validateSpace({
      learning_rate: { type: 'float', low: 1e-5, high: 1e-3, log: true },
      epochs: { type: 'int', low: 1, high: 4 },
      warmup_ratio: { type: 'float', low: 0, high: 0.2, step: 0.05 },
      freeze: { type: 'categorical', choices: ['none', 'embeddings', 'layers'] },
      freeze_layers: { type: 'int', low: 1, high: 4, when: { param: 'freeze', values: ['layers'] } },
    });
    expect(Object.keys(space)).toEqual(['learning_rate', 'epochs', 'warmup_ratio', 'freeze', 'freeze_layers']);
  });

  it('names the field of each problem in one line', () => {
    fails({ lr: { type: 'float', low: 1, high: 1 } }, 'space.json: lr.high: empty range: high (1) must be greater than low (1)', { source: 'space.json' });
    fails({ lr: { type: 'float', low: 0, high: 1, log: true } }, 'lr.low: a log range needs low > 0, found 0');
    fails({ lr: { type: 'flaot', low: 0, high: 1 } }, 'lr.type: expected "float", "int" or "categorical", found "flaot"');
    fails({ lr: { type: 'float', low: '1e-5', high: 1 } }, 'lr.low: expected a finite number, found "1e-5"');
    fails({ lr: { type: 'float', low: 0, hihg: 1 } }, 'lr.hihg: unknown field for a float parameter; expected type, low, high, log, step, when');
    fails({ epochs: { type: 'int', low: 1, high: 2.5 } }, 'epochs.high: expected an integer for an int parameter, found 2.5');
    fails({ opt: { type: 'categorical', choices: [] } }, 'opt.choices: expected a non-empty array, found []');
    fails({ opt: { type: 'categorical', choices: ['a', null] } }, 'opt.choices[1]: expected a string, number or boolean, found null');
    fails({ lr: { type: 'float', low: 0, high: 1 } }, 'lr: unknown parameter; expected one of learning_rate, epochs', { knownParams: ['learning_rate', 'epochs'] });
    fails({ k: { type: 'int', low: 1, high: 3, when: { param: 'later', values: [1] } }, later: { type: 'int', low: 1, high: 2 } }, 'k.when.param: expected the name of a parameter declared before "k", found "later"');
    fails({ f: { type: 'categorical', choices: ['a'] }, k: { type: 'int', low: 1, high: 3, when: { param: 'f', values: ['b'] } } }, 'k.when.values: "b" is not one of f\'s choices ["a"]');
    fails([], '(top level): expected an object of parameter name → {type, ...}, found an array');
    fails({}, '(top level): the space has no parameters; add at least one, e.g. "learning_rate": {"type": "float", "low": 1e-5, "high": 1e-3, "log": true}');
  });

  // Property: any space the validator accepts is sampled inside its ranges, on its grids, with
  // conditional parameters present exactly when their condition holds.
  it('random samples of any valid space respect it (property)', () => {
    const numeric = fc.record({
      type: fc.constantFrom('float', 'int'),
      low: fc.integer({ min: 1, max: 50 }),
      width: fc.integer({ min: 1, max: 100 }),
      log: fc.boolean(),
    });
    const param = fc.oneof(
      numeric.map(({ type, low, width, log }) => ({ type, low, high: low + width, log })),
      fc.uniqueArray(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 5 }).map((choices) => ({ type: 'categorical', choices })),
    );
    fc.assert(
      fc.property(fc.array(param, { minLength: 1, maxLength: 5 }), fc.integer(), (params, seed) => {
        const raw: Record<string, unknown> = {};
        params.forEach((p, i) => (raw[`p${i}`] = p));
        if (params[0]!.type === 'categorical') raw['cond'] = { type: 'int', low: 0, high: 9, when: { param: 'p0', values: [(params[0] as { choices: unknown[] }).choices[0]] } };
        const space = validateSpace(raw);
        for (let k = 0; k < 5; k++) {
          const sample = new RandomSampler().sample({ space, trials: [], direction: 'minimize', rng: new Rng(seed, k) });
          for (const [name, spec] of Object.entries(space)) {
            expect(name in sample).toBe(isActive(spec, sample));
            if (!(name in sample)) continue;
            const v = sample[name]!;
            if (spec.type === 'categorical') expect(spec.choices).toContain(v);
            else {
              expect(v as number).toBeGreaterThanOrEqual(spec.low);
              expect(v as number).toBeLessThanOrEqual(spec.high);
              if (spec.type === 'int') expect(Number.isInteger(v)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
