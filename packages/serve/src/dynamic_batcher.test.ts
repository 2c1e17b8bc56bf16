import { describe, expect, it } from 'vitest';
import { DynamicBatcher } from './dynamic_batcher';
import { PredictionError, ServeOptionsError, ServerBusyError } from './serve_error';

/** A model that doubles numbers and records each call's batch. */
function recorder(fail?: (x: number) => boolean) {
  const calls: number[][] = [];
  const run = (xs: number[]) => {
    calls.push([...xs]);
    if (fail && xs.some(fail)) throw new Error(`cannot take ${xs.find(fail)}`);
    return xs.map((x) => x * 2);
  };
  return { calls, run };
}

describe('DynamicBatcher', () => {
  it('merges requests that arrive within the window into one call and splits the outputs back', async () => {
    const { calls, run } = recorder();
    const b = new DynamicBatcher(run, { maxBatchSize: 32, batchWindowMs: 20 });
    const out = await Promise.all([b.submit([1]), b.submit([2, 3]), b.submit([4])]);
    expect(out).toEqual([[2], [4, 6], [8]]);
    expect(calls).toEqual([[1, 2, 3, 4]]);
    expect(b.stats).toMatchObject({ batches: 1, inputs: 4, requests: 3, failedRequests: 0, pending: 0 });
  });

  it('never puts more than maxBatchSize inputs in a call, and never splits a request', async () => {
    const { calls, run } = recorder();
    const b = new DynamicBatcher(run, { maxBatchSize: 4, batchWindowMs: 50 });
    const reqs = [[1, 2], [3], [4, 5], [6, 7, 8, 9, 10], [11]];
    const out = await Promise.all(reqs.map((r) => b.submit(r)));
    expect(out).toEqual(reqs.map((r) => r.map((x) => x * 2)));
    // [6..10] exceeds maxBatchSize and runs alone; the rest pack in arrival order.
    expect(calls).toEqual([[1, 2, 3], [4, 5], [6, 7, 8, 9, 10], [11]]);
  });

  it('with maxBatchSize 1 runs one call per request (batching off)', async () => {
    const { calls, run } = recorder();
    const b = new DynamicBatcher(run, { maxBatchSize: 1, batchWindowMs: 50 });
    const t0 = performance.now();
    await Promise.all([b.submit([1]), b.submit([2]), b.submit([3])]);
    expect(calls).toEqual([[1], [2], [3]]);
    // A full batch does not wait for the window.
    expect(performance.now() - t0).toBeLessThan(45);
  });

  it('a failing merged call is retried per request, so only the request with the bad input fails', async () => {
    const { calls, run } = recorder((x) => x === 13);
    const b = new DynamicBatcher(run, { maxBatchSize: 8, batchWindowMs: 10 });
    const results = await Promise.allSettled([b.submit([1]), b.submit([13, 2]), b.submit([3])]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: [2] });
    expect(results[2]).toEqual({ status: 'fulfilled', value: [6] });
    expect(results[1]!.status).toBe('rejected');
    const err = (results[1] as PromiseRejectedResult).reason as PredictionError;
    expect(err).toBeInstanceOf(PredictionError);
    expect(err.message).toMatch(/the model failed on a batch of 2 input\(s\): cannot take 13/);
    expect(calls).toEqual([[1, 13, 2, 3], [1], [13, 2], [3]]);
    expect(b.stats.failedRequests).toBe(1);
  });

  it('rejects a predictor that returns the wrong number of outputs', async () => {
    const b = new DynamicBatcher((xs: number[]) => xs.slice(1), { batchWindowMs: 0 });
    await expect(b.submit([1, 2])).rejects.toThrow(/returned 1 output\(s\) for 2 input\(s\)/);
  });

  it('accepts async predictors and runs one call at a time', async () => {
    let active = 0;
    let maxActive = 0;
    const b = new DynamicBatcher(
      async (xs: number[]) => {
        maxActive = Math.max(maxActive, ++active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return xs;
      },
      { maxBatchSize: 2, batchWindowMs: 0 },
    );
    const out = await Promise.all(Array.from({ length: 9 }, (_, i) => b.submit([i])));
    expect(out.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(maxActive).toBe(1);
    await b.idle();
    expect(b.stats.pending).toBe(0);
  });

  it('idle() waits for queued and running work', async () => {
    const b = new DynamicBatcher((xs: number[]) => xs, { batchWindowMs: 20 });
    let done = false;
    void b.submit([1]).then(() => (done = true));
    await b.idle();
    expect(done).toBe(true);
  });

  it('refuses a request with ServerBusyError once maxQueuedInputs inputs are waiting', async () => {
    const b = new DynamicBatcher((xs: number[]) => xs, { batchWindowMs: 20, maxQueuedInputs: 3 });
    const first = b.submit([1, 2]);
    await expect(b.submit([3, 4])).rejects.toThrow(ServerBusyError);
    await expect(b.submit([3, 4])).rejects.toThrow(/2 inputs are already waiting \(maxQueuedInputs 3\)/);
    const third = b.submit([5]);
    expect(await Promise.all([first, third])).toEqual([[1, 2], [5]]);
    // A single request larger than the limit still runs when nothing waits.
    expect(await b.submit([1, 2, 3, 4])).toEqual([1, 2, 3, 4]);
  });

  it('rejects bad options with the option name', () => {
    expect(() => new DynamicBatcher((x: number[]) => x, { maxBatchSize: 0 })).toThrow(ServeOptionsError);
    expect(() => new DynamicBatcher((x: number[]) => x, { maxBatchSize: 0 })).toThrow(/maxBatchSize/);
    expect(() => new DynamicBatcher((x: number[]) => x, { batchWindowMs: -1 })).toThrow(/batchWindowMs/);
  });
});
