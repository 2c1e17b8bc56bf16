// Reverse-mode differentiation over tfjs-core's tape that frees memory as it goes, as PyTorch's autograd does.
// tfjs's engine.gradients() keeps every activation's gradient and every tensor saved for backward until the whole
// backward pass ends, so its peak is the forward's saved tensors plus a gradient for every intermediate output.
// Here a node's output gradients and saved tensors are released as soon as that node has been differentiated.
import { tf } from '../tf';
import { discardTape, recordOnFreshTape, type TapeNodeView } from '../kernels/wasm_internals';

/** The nodes on a path from some x to y, with inputs that do not depend on any x pruned (tfjs's tape filter). */
function nodesFromXsToY(tape: TapeNodeView[], xs: tf.Tensor[], y: tf.Tensor): TapeNodeView[] {
  const fromX = new Set<number>(xs.map((x) => x.id));
  const nodeFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      nodeFromX.add(node.id);
      for (const o of node.outputs) fromX.add(o.id);
    }
  }
  const toY = new Set<number>([y.id]);
  const nodeToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    if (node.outputs.some((o) => toY.has(o.id))) {
      nodeToY.add(node.id);
      for (const t of Object.values(node.inputs)) toY.add(t.id);
    }
  }
  const out: TapeNodeView[] = [];
  for (const node of tape) {
    if (!nodeFromX.has(node.id) || !nodeToY.has(node.id)) continue;
    const inputs: Record<string, tf.Tensor> = {};
    for (const [name, t] of Object.entries(node.inputs)) if (fromX.has(t.id)) inputs[name] = t;
    out.push({ ...node, inputs });
  }
  return out;
}

/** Walks the filtered tape backward from dL/dy; returns dL/dx for each x (undefined where y does not depend on it). */
function backprop(nodes: TapeNodeView[], xs: tf.Tensor[], y: tf.Tensor, dy: tf.Tensor | undefined): Array<tf.Tensor | undefined> {
  const keep = new Set<number>(xs.map((x) => x.id));
  const slot = new Map<number, tf.Tensor>();
  // Tensors held in `slot`: each is held by exactly one entry, so releasing an entry may dispose it.
  const live = new Set<tf.Tensor>();
  const set = (id: number, t: tf.Tensor) => {
    slot.set(id, t);
    live.add(t);
  };
  const release = (id: number) => {
    const t = slot.get(id);
    if (!t) return;
    slot.delete(id);
    live.delete(t);
    t.dispose();
  };
  set(y.id, dy ? dy.clone() : tf.onesLike(y));
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (!node.gradient) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    // Every tensor made from here on (ids only grow) belongs to this node's gradient; older ones (the output
    // gradients, saved tensors, anything a gradient function closed over) are never disposed here, only cloned.
    const watermark = tf.scalar(0);
    const firstNew = watermark.id;
    watermark.dispose();
    const inputGradients = node.gradient(node.outputs.map((o) => slot.get(o.id) ?? null));
    const made: tf.Tensor[] = [];
    for (const [name, x] of Object.entries(node.inputs)) {
      const thunk = inputGradients[name];
      if (!thunk) {
        throw new Error(`Cannot backprop through input ${name}. Available gradients found: ${Object.keys(inputGradients)}.`);
      }
      const dx = tf.tidy(thunk);
      if (dx.dtype !== 'float32') {
        throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input ${name} must have 'float32' dtype, but has '${dx.dtype}'`);
      }
      if (!tf.util.arraysEqual(dx.shape, x.shape)) {
        throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input '${name}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`);
      }
      const ours = dx.id > firstNew;
      if (ours) made.push(dx);
      const current = slot.get(x.id);
      if (current === undefined) {
        set(x.id, ours && !live.has(dx) ? dx : dx.clone());
      } else {
        const sum = tf.add(current, dx);
        release(x.id);
        set(x.id, sum);
      }
    }
    for (const t of made) if (!live.has(t)) t.dispose();
    // Nothing earlier on the tape produced these outputs or needs what this node saved.
    for (const o of node.outputs) if (!keep.has(o.id)) release(o.id);
    for (const t of node.saved ?? []) t.dispose();
  }
  return xs.map((x) => slot.get(x.id));
}

/**
 * tfjs-core's engine.gradients(f, xs, dy, allowNoGradients = true) with PyTorch's memory: the same values, but each
 * activation's gradient and each tensor saved for backward is freed as soon as the backward pass has gone past it.
 * Inside another gradient (higher-order) it is engine.gradients() itself.
 */
export function gradients(f: () => tf.Tensor, xs: tf.Tensor[], dy?: tf.Tensor): { value: tf.Tensor; grads: Array<tf.Tensor | undefined> } {
  const engine = tf.engine();
  const recorded = recordOnFreshTape(engine, f);
  if (!recorded) {
    const { value, grads } = engine.gradients(f, xs, dy, true);
    return { value, grads: grads.map((g) => g ?? undefined) };
  }
  const { y, tape } = recorded;
  try {
    const nodes = nodesFromXsToY(tape, xs, y);
    let found: boolean[] = [];
    const kept = tf.tidy(() => {
      const all = backprop(nodes, xs, y, dy);
      found = all.map((g) => g !== undefined);
      return all.filter((g): g is tf.Tensor => g !== undefined);
    });
    let k = 0;
    const out = found.map((f) => (f ? kept[k++] : undefined));
    return { value: y, grads: out };
  } catch (e) {
    y.dispose();
    throw e;
  } finally {
    discardTape(engine, tape);
  }
}

/**
 * tf.variableGrads(f, varList) with PyTorch's memory (see `gradients`): the loss and its gradient with respect to each
 * trainable variable of varList (all trainable variables when omitted), by variable name. Same checks and result as
 * tf.variableGrads: non-trainable variables of varList get null.
 */
export function variableGrads(f: () => tf.Scalar, varList?: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const all = varList ?? Object.values(tf.engine().registeredVariables);
  const trainable = all.filter((v) => v.trainable);
  if (trainable.length === 0) {
    throw new Error(`variableGrads() expects at least one of the input variables to be trainable, but none of the ${all.length} variables is trainable.`);
  }
  const { value, grads } = gradients(f, trainable);
  if (value.rank !== 0) {
    value.dispose();
    tf.dispose(grads.filter((g): g is tf.Tensor => g !== undefined));
    throw new Error(`The f passed in variableGrads(f) must return a scalar, but it returned a rank-${value.rank} tensor`);
  }
  if (grads.every((g) => g === undefined)) {
    value.dispose();
    throw new Error('Cannot find a connection between any variable and the result of the loss function y=f(x). Please make sure the operations that use variables are inside the function f passed to minimize().');
  }
  const named: tf.NamedTensorMap = {};
  trainable.forEach((v, i) => {
    const g = grads[i];
    if (g) named[v.name] = g;
  });
  if (varList) for (const v of varList) if (!v.trainable) (named as Record<string, tf.Tensor | null>)[v.name] = null;
  return { value: value as tf.Scalar, grads: named };
}
