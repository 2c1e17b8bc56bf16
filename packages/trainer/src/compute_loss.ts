import { tf } from '@attn/tensor';
import type { ModelInputs, ModelOutput } from '@attn/models';
import type { TrainableModel } from './trainable_model';
import { tensorField } from './batch_source';
import { TrainingError } from './training_error';

/**
 * What a loss hook returns (HF's compute_loss): the scalar loss, or the loss with the model's outputs
 * (asked for with returnOutputs, so evaluation can collect predictions from the same forward).
 */
export type ComputeLossResult<O = ModelOutput> = tf.Scalar | { loss: tf.Scalar; outputs?: O };

/**
 * HF's Trainer.compute_loss(model, inputs, return_outputs): the loss the trainer differentiates and
 * evaluation reports. Runs inside the gradient tape (train) or tf.tidy (evaluation), so intermediates
 * need no disposal; the returned loss must be a scalar.
 */
export type ComputeLoss<I = ModelInputs, O extends object = ModelOutput> = (
  model: TrainableModel<I, O>,
  inputs: I,
  returnOutputs: boolean,
) => ComputeLossResult<O>;

/** The default: the loss the model's own forward returns for labelled inputs. */
export function modelLoss<I, O extends object>(model: TrainableModel<I, O>, inputs: I, returnOutputs: boolean): ComputeLossResult<O> {
  const outputs = model.forward(inputs);
  const loss = tensorField(outputs, 'loss');
  if (!loss) {
    throw new TrainingError('model.forward returned no loss; training batches need labels (or startPositions/endPositions), or pass a computeLoss.');
  }
  return returnOutputs ? { loss: loss as tf.Scalar, outputs } : (loss as tf.Scalar);
}

/** A hook's result as { loss, outputs? }, checking that the loss is a scalar. */
export function splitLossResult<O>(result: ComputeLossResult<O>): { loss: tf.Scalar; outputs?: O } {
  const split = result instanceof tf.Tensor ? { loss: result } : result;
  if (!split.loss || split.loss.rank !== 0) {
    throw new TrainingError(`computeLoss must return a scalar loss (or { loss, outputs }); got ${split.loss ? `a tensor of shape [${split.loss.shape.join(', ')}]` : 'no loss'}.`);
  }
  return split;
}
