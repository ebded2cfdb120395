// Broken on purpose (a grader proof): backward writes into gradOutput.
// @fails contract.gradOutput-unchanged
// @diagnosis gradOutput after the calls equals your gradInput
/**
 * `ReLU`: the rectified linear unit (a worked example, given finished).
 *
 * @module
 */

import type { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkShape, checkTensor } from "../../../../lessons/_check.ts";

/**
 * `output = max(input, 0)` elementwise, any shape. Backward:
 * `gradInput = gradOutput ⊙ [input > 0]` (the gradient at exactly 0 is 0).
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { ReLU } from "./relu.ts";
 * const relu = new ReLU();
 * const x = Tensor.from([[-1, 0, 2]]);
 * assert.deepEqual(relu.forward(x).toArray(), [[0, 0, 2]]);
 * assert.deepEqual(relu.backward(x, Tensor.from([[5, 5, 5]])).toArray(), [[0, 0, 5]]);
 * ```
 */
export class ReLU extends Module {
  /** `max(input, 0)`, the shape of `input`. */
  override updateOutput(input: Tensor): Tensor {
    checkTensor(this, "input", input);
    this.output = input.maximum(0);
    return this.output;
  }

  /** `gradOutput ⊙ [input > 0]`. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkTensor(this, "input", input);
    checkShape(this, "gradOutput", gradOutput, input.shape);
    this.gradInput = gradOutput.mulInPlace(input.gt(0));
    return this.gradInput;
  }
}
