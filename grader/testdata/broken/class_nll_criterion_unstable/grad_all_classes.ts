// Broken on purpose (a student's mistake): gradInput −1/clip(x)/N for every class (target forgotten).
// @fails gradInput.batch1, gradInput.rect, numeric.gradInput.rect
// @diagnosis leaves out the target
/**
 * `ClassNLLCriterionUnstable`: negative log-likelihood from probabilities.
 *
 * @module
 */

import type { Tensor } from "../../../../lib/tensor.ts";
import { Criterion } from "../../../../lib/module.ts";
import { checkShape } from "../../../../lessons/_check.ts";

/**
 * Negative log-likelihood of probabilities `input` `[N, C]` (e.g. after
 * `SoftMax`) for one-hot `target` `[N, C]`, clipped to [EPS, 1 − EPS] so that
 * log(0) cannot occur:
 * `loss = −Σ target ⊙ log(clip(input, EPS, 1 − EPS)) / N`,
 * `gradInput = −target / clip(input, EPS, 1 − EPS) / N` (the clipped value is
 * used, even outside the clip range). "Unstable" because SoftMax followed by a
 * log loses precision that `LogSoftMax` + `ClassNLLCriterion` keep.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { ClassNLLCriterionUnstable } from "./class_nll_criterion_unstable.ts";
 * const nll = new ClassNLLCriterionUnstable();
 * const p = Tensor.from([[0.5, 0.5], [0.2, 0.8]]);
 * const t = Tensor.from([[1, 0], [0, 1]]);
 * assert.ok(Math.abs(nll.forward(p, t) - -(Math.log(0.5) + Math.log(0.8)) / 2) < 1e-15);
 * assert.ok(nll.backward(p, t).allClose(Tensor.from([[-1, 0], [0, -0.625]])));
 * ```
 */
export class ClassNLLCriterionUnstable extends Criterion {
  /** The clip margin: probabilities are kept within [EPS, 1 − EPS]. */
  static readonly EPS = 1e-15;

  /** `−Σ target ⊙ log(clip(input, EPS, 1 − EPS)) / N`. */
  override updateOutput(input: Tensor, target: Tensor): number {
    this._check(input, target);
    // BEGIN SOLUTION: clip input to [EPS, 1 − EPS], compute −Σ target ⊙ log(clipped) / N; store in this.output and return it
    const eps = ClassNLLCriterionUnstable.EPS;
    this.output = -target.mul(input.clip(eps, 1 - eps).log()).sum() / input.shape[0];
    return this.output;
    // END SOLUTION
  }

  /** `−target / clip(input, EPS, 1 − EPS) / N`. */
  override updateGradInput(input: Tensor, target: Tensor): Tensor {
    this._check(input, target);
    // BEGIN SOLUTION: compute −target / clip(input, EPS, 1 − EPS) / N; store in this.gradInput and return it
    const eps = ClassNLLCriterionUnstable.EPS;
    this.gradInput = input.clip(eps, 1 - eps).reciprocal().mulInPlace(-1 / input.shape[0]);
    return this.gradInput;
    // END SOLUTION
  }

  private _check(input: Tensor, target: Tensor): void {
    checkShape(this, "input", input, ["N", "C"]);
    checkShape(this, "target", target, input.shape);
  }
}
