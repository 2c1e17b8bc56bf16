import { tf } from '@attn/tensor';
import type { ModelInputs, ModelOutputs, TrainableModel } from './trainable_model';
import { TrainingError } from './training_error';

/**
 * What a loss hook returns (HF's compute_loss): the scalar loss, or the loss with the model's outputs
 * (asked for with returnOutputs, so evaluation can collect predictions from the same forward).
 */
export type ComputeLossResult<O = ModelOutputs> = tf.Scalar | { loss: tf.Scalar; outputs?: O };

/**
 * HF's Trainer.compute_loss(model, inputs, return_outputs): the loss the trainer differentiates and
 * evaluation reports. Runs inside the gradient tape (train) or tf.tidy (evaluation), so intermediates
 * need no disposal; the returned loss must be a scalar.
 */
export type ComputeLoss<I = ModelInputs, O = ModelOutputs> = (
  model: TrainableModel<I, O>,
  inputs: I,
  returnOutputs: boolean,
) => ComputeLossResult<O>;

/** The default: the loss the model's own forward returns for labelled inputs. */
export function modelLoss<I, O extends { loss?: tf.Scalar }>(model: TrainableModel<I, O>, inputs: I, returnOutputs: boolean): ComputeLossResult<O> {
  const outputs = model.forward(inputs);
  if (!outputs.loss) {
    throw new TrainingError('model.forward returned no loss; training batches need labels (or startPositions/endPositions), or pass a computeLoss.');
  }
  return returnOutputs ? { loss: outputs.loss, outputs } : outputs.loss;
}

/** A hook's result as { loss, outputs? }, checking that the loss is a scalar. */
export function splitLossResult<O>(result: ComputeLossResult<O>): { loss: tf.Scalar; outputs?: O } {
  const split = result instanceof tf.Tensor ? { loss: result } : result;
  if (!split.loss || split.loss.rank !== 0) {
    throw new TrainingError(`computeLoss must return a scalar loss (or { loss, outputs }); got ${split.loss ? `a tensor of shape [${split.loss.shape.join(', ')}]` : 'no loss'}.`);
  }
  return split;
}
