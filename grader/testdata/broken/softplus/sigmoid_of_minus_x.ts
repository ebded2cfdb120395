// Broken on purpose (a student's mistake): gradient sigmoid(−x) instead of sigmoid(x).
// @fails gradInput.batch1, gradInput.rect, numeric.gradInput.rect
// @diagnosis sigmoid(−x)
/**
 * `SoftPlus`: a smooth ReLU.
 *
 * @module
 */

import type { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkShape, checkTensor } from "../../../../lessons/_check.ts";

/**
 * `output = log(1 + eˣ)` elementwise, any shape; backward
 * `gradInput = gradOutput ⊙ sigmoid(x)`.
 *
 * Computed as `max(x, 0) + log1p(e^(−|x|))`, which is the same function but
 * never overflows (the exponent is ≤ 0) and loses no digits: x = 1000 gives
 * 1000, x = −1000 gives e⁻¹⁰⁰⁰ ≈ 0. The sigmoid is computed the stable way too.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { SoftPlus } from "./softplus.ts";
 * const y = new SoftPlus().forward(Tensor.from([[0, 1000, -1000]]));
 * assert.ok(y.allClose(Tensor.from([[Math.LN2, 1000, 0]])));
 * ```
 */
export class SoftPlus extends Module {
  /** `max(x, 0) + log1p(e^(−|x|))`. */
  override updateOutput(input: Tensor): Tensor {
    checkTensor(this, "input", input);
    // BEGIN SOLUTION: compute log(1 + eˣ) stably as max(x, 0) + log1p(exp(−|x|)); store in this.output and return it
    this.output = input.maximum(0).addInPlace(input.abs().neg().exp().log1p());
    return this.output;
    // END SOLUTION
  }

  /** `gradOutput ⊙ sigmoid(x)`. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkTensor(this, "input", input);
    checkShape(this, "gradOutput", gradOutput, input.shape);
    // BEGIN SOLUTION: gradInput = gradOutput ⊙ sigmoid(x) (use a form that cannot overflow, e.g. Tensor.sigmoid); store in this.gradInput and return it
    this.gradInput = gradOutput.mul(input.neg().sigmoid());
    return this.gradInput;
    // END SOLUTION
  }
}
