/**
 * The seed course's training loop: per batch, zero the gradients, forward,
 * criterion, backward, optimizer step; a fresh shuffle every epoch (from
 * `lib/random.ts`); `evaluate()` mode for predictions, `train()` for
 * training.
 *
 * @example
 * ```ts
 * import { batches } from "./loop.ts";
 * console.assert(JSON.stringify(batches([0, 1, 2, 3, 4], 2)) === "[[0,1],[2,3],[4]]");
 * ```
 *
 * @module
 */

import type { Criterion, Module } from "../lib/module.ts";
import type { Tensor } from "../lib/tensor.ts";
import { permutation } from "../lib/random.ts";
import { type OptimizerFn, TrainError } from "./kit.ts";

/** An optimizer with its configuration and state, stepped once per batch. */
export interface OptimizerRun {
  fn: OptimizerFn;
  config: Record<string, number>;
  state: Record<string, unknown>;
}

/** What {@linkcode trainEpoch} reports after each batch. */
export interface BatchReport {
  /** Batches done in this epoch. */
  batch: number;
  /** Batches in the epoch. */
  batches: number;
  /** Samples done in this epoch. */
  samples: number;
  /** This batch's loss. */
  loss: number;
  /** Mean loss over the epoch so far (weighted by batch size). */
  runningLoss: number;
}

/** `indices` cut into consecutive batches of `size` (the last may be shorter). */
export function batches(indices: readonly number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < indices.length; i += size) out.push(indices.slice(i, i + size));
  return out;
}

/**
 * One epoch over `images`/`labels` (one-hot) in a fresh random order, one
 * batch per step: yields a {@linkcode BatchReport} after every optimizer
 * step and returns the mean training loss. A caller can pause between steps
 * (the notebook's training cells do, to update their display);
 * {@linkcode trainEpoch} runs it through.
 */
export function* epochSteps(
  model: Module,
  criterion: Criterion,
  optimizer: OptimizerRun,
  images: Tensor,
  labels: Tensor,
  batchSize: number,
): Generator<BatchReport, number, void> {
  model.train();
  const n = images.shape[0];
  const order = batches(permutation(n), batchSize);
  let lossSum = 0;
  let seen = 0;
  for (let b = 0; b < order.length; b++) {
    const idx = order[b];
    const x = images.take(idx, 0);
    const y = labels.take(idx, 0);
    model.zeroGradParameters();
    const predictions = model.forward(x);
    const loss = criterion.forward(predictions, y);
    const gradPredictions = criterion.backward(predictions, y);
    model.backward(x, gradPredictions);
    optimizer.fn(model.getParameters(), model.getGradParameters(), optimizer.config, optimizer.state);
    if (!Number.isFinite(loss)) {
      throw new TrainError(`Training diverged: the loss of batch ${b + 1} is ${loss}; try a smaller --lr`);
    }
    lossSum += loss * idx.length;
    seen += idx.length;
    yield { batch: b + 1, batches: order.length, samples: seen, loss, runningLoss: lossSum / seen };
  }
  return lossSum / seen;
}

/**
 * One epoch over `images`/`labels` (one-hot) in a fresh random order;
 * returns the mean training loss. `onBatch` is called after every step.
 */
export function trainEpoch(
  model: Module,
  criterion: Criterion,
  optimizer: OptimizerRun,
  images: Tensor,
  labels: Tensor,
  batchSize: number,
  onBatch?: (report: BatchReport) => void,
): number {
  const steps = epochSteps(model, criterion, optimizer, images, labels, batchSize);
  for (let step = steps.next();; step = steps.next()) {
    if (step.done) return step.value;
    onBatch?.(step.value);
  }
}

/** Predictions and the mean loss of a model in evaluation mode. */
export interface Evaluation {
  /** The predicted digit (argmax of the output) of each sample. */
  predicted: Int32Array;
  /** Mean criterion loss. */
  loss: number;
  /** Fraction of samples predicted right. */
  accuracy: number;
}

/**
 * Runs `model` in evaluation mode over `images` in batches of `batchSize`
 * (no gradients, no parameter change) and scores it against `labels`.
 * Leaves the model in evaluation mode.
 */
export function evaluateModel(
  model: Module,
  criterion: Criterion,
  images: Tensor,
  labels: Tensor,
  batchSize = 100,
): Evaluation {
  model.evaluate();
  const n = images.shape[0];
  const predicted = new Int32Array(n);
  let lossSum = 0;
  let right = 0;
  for (let start = 0; start < n; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const x = images.take(idx, 0);
    const y = labels.take(idx, 0);
    const out = model.forward(x);
    lossSum += criterion.forward(out, y) * idx.length;
    const classes = out.shape[1];
    for (let i = 0; i < idx.length; i++) {
      let best = 0;
      for (let k = 1; k < classes; k++) {
        if (out.data[i * classes + k] > out.data[i * classes + best]) best = k;
      }
      predicted[start + i] = best;
      if (y.data[i * classes + best] === 1) right++;
    }
  }
  return { predicted, loss: n > 0 ? lossSum / n : NaN, accuracy: n > 0 ? right / n : NaN };
}
