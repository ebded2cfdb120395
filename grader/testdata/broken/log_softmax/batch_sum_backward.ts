// Broken on purpose (a grader proof): backward sums gradOutput over the batch (axis 0) instead of each row.
// @fails gradInput.batch1, gradInput.rect, numeric.gradInput.rect
// @diagnosis runs over the batch (axis 0)
/**
 * `LogSoftMax`: row-wise log-softmax.
 *
 * @module
 */

import type { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkShape } from "../../../../lessons/_check.ts";

/**
 * Row-wise log-softmax of `[N, D]`: `output = x − log Σⱼ exp(xⱼ)`.
 *
 * Stable for inputs of any magnitude: with m the row maximum,
 * `log Σ exp(x) = m + log Σ exp(x − m)`, and the largest term of the sum is 1.
 * Backward: `gradInput = ∂L/∂input` `[N, D]` from `gradOutput` `[N, D]`, row
 * by row (every output of a row depends on every input of that row; derived
 * in the lesson guide).
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { LogSoftMax } from "./log_softmax.ts";
 * const y = new LogSoftMax().forward(Tensor.from([[0, Math.log(3)], [-1e4, 1e4]]));
 * assert.ok(y.allClose(Tensor.from([[Math.log(0.25), Math.log(0.75)], [-2e4, 0]])));
 * ```
 */
export class LogSoftMax extends Module {
  /** Row-wise `x − logΣexp(x)`, `[N, D] → [N, D]`. */
  override updateOutput(input: Tensor): Tensor {
    checkShape(this, "input", input, ["N", "D"]);
    // BEGIN SOLUTION: shift each row by its max m, then output = (x − m) − log Σ exp(x − m); store in this.output and return it
    const shifted = input.sub(input.max(1, true));
    this.output = shifted.sub(shifted.exp().sum(1, true).log());
    return this.output;
    // END SOLUTION
  }

  /** ∂L/∂input `[N, D]` from `gradOutput` `[N, D]` and the forward's output, row by row. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkShape(this, "input", input, ["N", "D"]);
    checkShape(this, "gradOutput", gradOutput, input.shape);
    // BEGIN SOLUTION: ∂L/∂input row by row from gradOutput and this.output (lessons/log_softmax.md, 'Backward'); store in this.gradInput, return it
    this.gradInput = gradOutput.sub(this.output.exp().mul(gradOutput.sum(0, true)));
    return this.gradInput;
    // END SOLUTION
  }
}
