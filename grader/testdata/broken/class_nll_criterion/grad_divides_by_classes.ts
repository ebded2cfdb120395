// Broken on purpose (a student's mistake): gradInput divides by shape[1] (the classes) instead of shape[0].
// @fails gradInput.rect, numeric.gradInput.rect, gradInput.large
// @diagnosis divided by C instead of N
/**
 * `ClassNLLCriterion`: negative log-likelihood from log-probabilities.
 *
 * @module
 */

import type { Tensor } from "../../../../lib/tensor.ts";
import { Criterion } from "../../../../lib/module.ts";
import { checkShape } from "../../../../lessons/_check.ts";

/**
 * Negative log-likelihood of log-probabilities `input` `[N, C]` (e.g. after
 * `LogSoftMax`) for one-hot `target` `[N, C]`: `loss = −Σ target ⊙ input / N`;
 * backward gives `gradInput = ∂loss/∂input` `[N, C]`. No log and no clipping:
 * this is the stable pair of `ClassNLLCriterionUnstable`.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { ClassNLLCriterion } from "./class_nll_criterion.ts";
 * const nll = new ClassNLLCriterion();
 * const logp = Tensor.from([[-0.1, -2.3], [-1.2, -0.4]]);
 * const t = Tensor.from([[1, 0], [0, 1]]);
 * assert.ok(Math.abs(nll.forward(logp, t) - 0.25) < 1e-15);
 * assert.deepEqual(nll.backward(logp, t).shape, [2, 2]);
 * ```
 */
export class ClassNLLCriterion extends Criterion {
  /** `−Σ target ⊙ input / N`. */
  override updateOutput(input: Tensor, target: Tensor): number {
    this._check(input, target);
    // BEGIN SOLUTION: compute −Σ target ⊙ input / N; store in this.output and return it
    this.output = -target.mul(input).sum() / input.shape[0];
    return this.output;
    // END SOLUTION
  }

  /** ∂loss/∂input, `[N, C]`. */
  override updateGradInput(input: Tensor, target: Tensor): Tensor {
    this._check(input, target);
    // BEGIN SOLUTION: compute ∂loss/∂input [N, C] (lessons/class_nll_criterion.md, 'Backward'); store in this.gradInput and return it
    this.gradInput = target.mul(-1 / input.shape[1]);
    return this.gradInput;
    // END SOLUTION
  }

  private _check(input: Tensor, target: Tensor): void {
    checkShape(this, "input", input, ["N", "C"]);
    checkShape(this, "target", target, input.shape);
  }
}
