// Broken on purpose (a grader proof): neither the loss nor its gradient is divided by N.
// @fails loss.rect, gradInput.rect, loss.image
// @diagnosis not divided by the batch size N
/**
 * `MSECriterion`: the mean squared error over the batch (a worked example,
 * given finished).
 *
 * @module
 */

import type { Tensor } from "../../../../lib/tensor.ts";
import { Criterion } from "../../../../lib/module.ts";
import { checkMinRank, checkShape } from "../../../../lessons/_check.ts";

/**
 * `loss = Σ(input − target)² / N`, N the batch size (the first axis): it
 * divides by N only, not by the number of elements as PyTorch's `MSELoss`
 * does. Any shape with N first; `target` has the shape of `input`.
 * Backward: `gradInput = 2(input − target) / N`.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { MSECriterion } from "./mse_criterion.ts";
 * const mse = new MSECriterion();
 * const x = Tensor.from([[1, 2], [3, 4]]);
 * const t = Tensor.from([[1, 0], [0, 4]]);
 * assert.equal(mse.forward(x, t), (4 + 9) / 2);
 * assert.deepEqual(mse.backward(x, t).toArray(), [[0, 2], [3, 0]]);
 * ```
 */
export class MSECriterion extends Criterion {
  /** `Σ(input − target)² / N`. */
  override updateOutput(input: Tensor, target: Tensor): number {
    this._check(input, target);
    this.output = input.sub(target).square().sum();
    return this.output;
  }

  /** `2(input − target) / N`. */
  override updateGradInput(input: Tensor, target: Tensor): Tensor {
    this._check(input, target);
    this.gradInput = input.sub(target).mulInPlace(2);
    return this.gradInput;
  }

  private _check(input: Tensor, target: Tensor): void {
    checkMinRank(this, "input", input, 1, "[N, ...]");
    checkShape(this, "target", target, input.shape);
  }
}
