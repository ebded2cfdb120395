// Broken on purpose (a student's mistake): gradInput = gradOutput ⊙ output (the output used as the mask).
// @fails gradInput.batch1, gradInput.rect, numeric.gradInput.rect
// @diagnosis multiplied by the output
/**
 * `ReLU`: the rectified linear unit (a worked example, given finished).
 *
 * @module
 */

import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkShape, checkTensor } from "../../../../lessons/_check.ts";

/**
 * `output = max(input, 0)` elementwise, any shape. Backward:
 * `gradInput = gradOutput ⊙ [input > 0]` (the gradient at exactly 0 is 0), one pass over
 * typed arrays.
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
    // One pass over both (not gradOutput.mul(input.gt(0)), which makes and reads a mask);
    // +(x > 0) is 1 or 0, so the loop has no branch to mispredict on the signs.
    const [x, g] = [input.data, gradOutput.data];
    const grad = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) grad[i] = g[i] * Math.max(x[i], 0);
    this.gradInput = new Tensor(grad, input.shape);
    return this.gradInput;
  }
}
