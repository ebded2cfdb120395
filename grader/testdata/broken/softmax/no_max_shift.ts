// Broken on purpose (a grader proof): no max shift before exp.
// @fails forward.extreme
// @diagnosis max shift is missing
/**
 * `SoftMax`: row-wise softmax.
 *
 * @module
 */

import type { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkShape } from "../../../../lessons/_check.ts";

/**
 * Row-wise softmax of `[N, D]`: `output[n, i] = exp(x[n, i]) / Σⱼ exp(x[n, j])`.
 *
 * Stable for inputs of any magnitude: the row maximum is subtracted first
 * (softmax is unchanged by a shift), so no exponent overflows. Backward, with
 * s = output and G = gradOutput: `gradInput = s ⊙ (G − Σⱼ G ⊙ s)` row by row.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { SoftMax } from "./softmax.ts";
 * const s = new SoftMax().forward(Tensor.from([[0, Math.log(3)], [1e4, 1e4]]));
 * assert.ok(s.allClose(Tensor.from([[0.25, 0.75], [0.5, 0.5]])));
 * ```
 */
export class SoftMax extends Module {
  /** Row-wise softmax, `[N, D] → [N, D]`. */
  override updateOutput(input: Tensor): Tensor {
    checkShape(this, "input", input, ["N", "D"]);
    // BEGIN SOLUTION: subtract each row's max, exponentiate, divide by the row sums; store in this.output and return it
    const e = input.exp();
    this.output = e.divInPlace(e.sum(1, true));
    return this.output;
    // END SOLUTION
  }

  /** `gradInput = s ⊙ (gradOutput − Σⱼ gradOutput ⊙ s)` with s = the forward's output. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkShape(this, "input", input, ["N", "D"]);
    checkShape(this, "gradOutput", gradOutput, input.shape);
    // BEGIN SOLUTION: with s = this.output, compute s ⊙ (gradOutput − rowSum(gradOutput ⊙ s)); store in this.gradInput and return it
    const s = this.output;
    this.gradInput = s.mul(gradOutput.sub(gradOutput.mul(s).sum(1, true)));
    return this.gradInput;
    // END SOLUTION
  }
}
