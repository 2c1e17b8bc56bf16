import { tf, globalGenerator, gradients, type Generator } from '@attn/tensor';
import { withTapeSetAside } from '@attn/tensor/internal';
import type { Module } from './module';

/**
 * A stack of blocks that can run each block under `checkpoint` in training (HF's modules with
 * `supports_gradient_checkpointing`); PreTrainedModel.gradientCheckpointingEnable() sets the flag.
 */
export interface GradientCheckpointable {
  gradientCheckpointing: boolean;
}

export function isGradientCheckpointable(m: unknown): m is GradientCheckpointable {
  return typeof m === 'object' && m !== null && typeof (m as { gradientCheckpointing?: unknown }).gradientCheckpointing === 'boolean';
}

/** A layer that draws random numbers in its forward (dropout masks) from this generator. */
interface DrawsInForward {
  forwardGenerator(): Generator;
}

function drawsInForward(m: Module): m is Module & DrawsInForward {
  return typeof (m as Partial<DrawsInForward>).forwardGenerator === 'function';
}

/** The generators `block`'s forward may draw from: its dropouts' and the global one (ops without a seed). */
function forwardGenerators(block: Module): Generator[] {
  const out = new Set<Generator>([globalGenerator()]);
  for (const [, m] of block.namedModules()) if (drawsInForward(m)) out.add(m.forwardGenerator());
  return [...out];
}

/**
 * dL/dxs of f's output given dy, computed on a tape of its own while an outer backward pass is running.
 * tfjs's engine.gradients() keeps one tape and, at gradient depth 0, starts it afresh and then discards it:
 * called from a gradient function it would drop the outer pass's tape. So the outer tape is set aside
 * and restored; the inner one frees its saved tensors as the inner backward passes them (attn's `gradients`).
 */
function gradientsOnOwnTape(f: () => tf.Tensor, xs: tf.Tensor[], dy: tf.Tensor): tf.Tensor[] {
  // The engine's tape is a private member of tfjs-core: only @attn/tensor's adapter touches it.
  return withTapeSetAside(tf.engine(), () => {
    const { value, grads } = gradients(f, xs, dy);
    value.dispose();
    return grads.map((g, i) => g ?? tf.zerosLike(xs[i]!));
  });
}

/**
 * `fn(x, context)` — one block of a stack — with torch.utils.checkpoint's memory: the gradient tape keeps
 * only x and the context tensors (masks, rotary tables), not the block's activations; the backward pass
 * runs the block again on a tape of its own and differentiates that. The block's trainable parameters
 * are explicit inputs of the recorded op, so their gradients reach the optimizer. Dropout draws the same
 * masks both times: the state of every generator the block draws from is saved before the forward and
 * restored for the recomputation (then put back), as torch's checkpoint does with the RNG state.
 *
 * Costs one more forward of the block per backward. Outside a gradient tape (evaluation) it is `fn` plus
 * reading four words of generator state. `fn` must depend on tensors only through `x`, `context` and the
 * block's parameters; context gets no gradient.
 */
export function checkpoint(
  block: Module,
  fn: (x: tf.Tensor, context: Array<tf.Tensor | undefined>) => tf.Tensor,
  x: tf.Tensor,
  context: Array<tf.Tensor | undefined> = [],
): tf.Tensor {
  const params = block.trainableParameters().map(([, v]) => v);
  const generators = forwardGenerators(block);
  const before = generators.map((g) => g.getState());
  const present = context.map((t) => t !== undefined);
  const rebuild = (saved: tf.Tensor[]) => {
    let k = 0;
    return present.map((p) => (p ? saved[k++] : undefined));
  };
  // customGrad passes the inputs then the save function; tfjs types them as one variadic list.
  const op = tf.customGrad(((...args: unknown[]) => {
    const input = args[0] as tf.Tensor;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    // Saved tensors are clones that share the data: x costs no copy. Nothing is saved outside a tape.
    save([input, ...(context.filter((t) => t !== undefined) as tf.Tensor[])]);
    const value = fn(input, context);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [savedX, ...savedContext] = saved;
      const ctx = rebuild(savedContext);
      const now = generators.map((g) => g.getState());
      generators.forEach((g, i) => g.setState(before[i]!));
      try {
        return gradientsOnOwnTape(() => fn(savedX!, ctx), [savedX!, ...params], dy);
      } finally {
        generators.forEach((g, i) => g.setState(now[i]!));
      }
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, ...params);
}
