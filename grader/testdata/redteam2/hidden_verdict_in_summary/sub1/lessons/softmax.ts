// Broken on purpose (a hidden-check proof): each row is shifted by its mean, not its max. That keeps
// rows of ±1000 finite (the public checks pass) but overflows exp on a row with one large spike.
// @fails forward.hidden.wide, gradInput.hidden.wide
/**
 * `SoftMax`: row-wise softmax.
 *
 * @module
 */

import type { Tensor } from "../lib/tensor.ts";
import { Module } from "../lib/module.ts";
import { checkShape } from "./_check.ts";

/**
 * Row-wise softmax of `[N, D]`: `output[n, i] = exp(x[n, i]) / Σⱼ exp(x[n, j])`.
 *
 * Stable for inputs of any magnitude: the row maximum is subtracted first
 * (softmax is unchanged by a shift), so no exponent overflows. Backward:
 * `gradInput = ∂L/∂input` `[N, D]` from `gradOutput` `[N, D]`, row by row;
 * every output of a row depends on every input of that row, so it is a
 * Jacobian-vector product (derived in the lesson guide).
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
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
    const e = input.sub(input.mean(1, true)).exp();
    this.output = e.divInPlace(e.sum(1, true));
    return this.output;
    // END SOLUTION
  }

  /** ∂L/∂input `[N, D]` from `gradOutput` `[N, D]` and the forward's output, row by row. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkShape(this, "input", input, ["N", "D"]);
    checkShape(this, "gradOutput", gradOutput, input.shape);
    // BEGIN SOLUTION: ∂L/∂input row by row from gradOutput and this.output (lessons/softmax.md, 'Backward'); store in this.gradInput, return it
    const s = this.output;
    this.gradInput = s.mul(gradOutput.sub(gradOutput.mul(s).sum(1, true)));
    return this.gradInput;
    // END SOLUTION
  }
}
