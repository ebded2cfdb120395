// Broken on purpose (a student's mistake): backward keeps only the mean term: (g − mean g)/√(σ²+EPS).
// @fails gradInput.batch2, gradInput.rect, numeric.gradInput.rect
// @diagnosis not through the variance
/**
 * `BatchNormalization`: per-feature normalisation by batch statistics.
 *
 * @module
 */

import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkNumber, checkShape } from "../../../../lessons/_check.ts";

/**
 * Normalises each feature of `[N, D]`: `output = (x − μ) / √(σ² + EPS)`.
 *
 * Training: μ and σ² are the batch mean and the **biased** batch variance of
 * each feature (`Σₙ(x − μ)² / N`), and the moving statistics are updated as
 * `moving = alpha·moving + (1 − alpha)·batch` (alpha weights the OLD value).
 * They start at mean 0 and variance 1 and are `undefined` until the first
 * forward, then `[D]` tensors. Evaluation: μ and σ² are the moving statistics.
 * No learnable scale or shift (that is `ChannelwiseScaling`).
 *
 * Backward: `gradInput = ∂L/∂input` `[N, D]` from `gradOutput` `[N, D]`. In
 * training μ and σ² depend on every row of the batch, so each output of a
 * feature depends on every input of that feature (derived in the lesson
 * guide); in evaluation the statistics are constants.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { BatchNormalization } from "./batch_normalization.ts";
 * const bn = new BatchNormalization(0.9);
 * const y = bn.forward(Tensor.from([[1, 10], [3, 10]]));
 * const s = 1 / Math.sqrt(1 + BatchNormalization.EPS);
 * assert.ok(y.allClose(Tensor.from([[-s, 0], [s, 0]])));
 * assert.ok(bn.movingMean!.allClose(Tensor.from([0.2, 1])));
 * assert.ok(bn.movingVariance!.allClose(Tensor.from([1, 0.9])));
 * ```
 */
export class BatchNormalization extends Module {
  /** Added to the variance before the square root. */
  static readonly EPS = 1e-3;
  /** Weight of the old value in the moving statistics, in [0, 1]. */
  readonly alpha: number;
  /** Moving mean of each feature `[D]` (undefined before the first forward; starts at 0). */
  movingMean?: Tensor;
  /** Moving biased variance of each feature `[D]` (undefined before the first forward; starts at 1). */
  movingVariance?: Tensor;
  /** `1/√(σ² + EPS)` `[D]` of the last forward, for backward. */
  private _invStd?: Tensor;

  /** `alpha` weights the old moving statistics (default 0: keep only the last batch). */
  constructor(alpha = 0) {
    super();
    this.alpha = checkNumber("BatchNormalization", "alpha", alpha, "in [0, 1]", (a) => a >= 0 && a <= 1);
  }

  /** `(x − μ)/√(σ² + EPS)`, `[N, D] → [N, D]`; batch statistics in training, moving ones in evaluation. */
  override updateOutput(input: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.movingMean?.shape[0] ?? "D"]);
    const d = input.shape[1];
    this.movingMean ??= Tensor.zeros([d]);
    this.movingVariance ??= Tensor.ones([d]);
    // BEGIN SOLUTION: train: normalise by batch μ and biased σ², update the moving stats in place; eval: by the moving ones; keep 1/√(σ² + EPS) in this._invStd
    let mean = this.movingMean;
    let variance = this.movingVariance;
    if (this.training) {
      mean = input.mean(0);
      variance = input.variance(0);
      this.movingMean.mulInPlace(this.alpha).addScaledInPlace(1 - this.alpha, mean);
      this.movingVariance.mulInPlace(this.alpha).addScaledInPlace(1 - this.alpha, variance);
    }
    this._invStd = variance.add(BatchNormalization.EPS).sqrt().reciprocal();
    this.output = input.sub(mean).mulInPlace(this._invStd);
    return this.output;
    // END SOLUTION
  }

  /** ∂L/∂input `[N, D]` through the batch statistics (training) or the constant moving ones (evaluation). */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.movingMean?.shape[0] ?? "D"]);
    checkShape(this, "gradOutput", gradOutput, input.shape);
    // BEGIN SOLUTION: ∂L/∂input from gradOutput, x̂ = this.output and this._invStd, per mode (lessons/batch_normalization.md, 'Backward') → this.gradInput
    const invStd = this._invStd!;
    if (!this.training) {
      this.gradInput = gradOutput.mul(invStd);
      return this.gradInput;
    }
    const centred = gradOutput.sub(gradOutput.mean(0));
    this.gradInput = centred.mulInPlace(invStd);
    return this.gradInput;
    // END SOLUTION
  }

  /** `BatchNormalization alpha=0.9`. */
  override toString(): string {
    return `BatchNormalization alpha=${this.alpha}`;
  }
}
