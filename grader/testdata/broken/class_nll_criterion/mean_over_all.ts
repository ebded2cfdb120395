// Broken on purpose (a grader proof): everything divided by N·C.
// @fails loss.rect, gradInput.rect
// @diagnosis N·C
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
 * `LogSoftMax`) for one-hot `target` `[N, C]`: `loss = −Σ target ⊙ input / N`,
 * `gradInput = −target / N`. No log and no clipping: this is the stable pair
 * of `ClassNLLCriterionUnstable`.
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
 * assert.ok(nll.backward(logp, t).allClose(Tensor.from([[-0.5, 0], [0, -0.5]])));
 * ```
 */
export class ClassNLLCriterion extends Criterion {
  /** `−Σ target ⊙ input / N`. */
  override updateOutput(input: Tensor, target: Tensor): number {
    this._check(input, target);
    // BEGIN SOLUTION: compute −Σ target ⊙ input / N; store in this.output and return it
    this.output = -target.mul(input).sum() / input.size;
    return this.output;
    // END SOLUTION
  }

  /** `−target / N`. */
  override updateGradInput(input: Tensor, target: Tensor): Tensor {
    this._check(input, target);
    // BEGIN SOLUTION: compute −target / N; store in this.gradInput and return it
    this.gradInput = target.mul(-1 / input.size);
    return this.gradInput;
    // END SOLUTION
  }

  private _check(input: Tensor, target: Tensor): void {
    checkShape(this, "input", input, ["N", "C"]);
    checkShape(this, "target", target, input.shape);
  }
}
