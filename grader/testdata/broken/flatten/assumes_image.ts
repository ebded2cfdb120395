// Broken on purpose (a grader proof): Flatten written for [N, C, H, W] only: multiplies shape[1]·shape[2]·shape[3], so a rank-3 input breaks.
// @fails forward.batch1, gradInput.batch1
// @diagnosis a size computed as NaN
/**
 * `Flatten`: from images to vectors (a worked example, given finished).
 *
 * @module
 */

import type { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkMinRank, checkShape } from "../../../../lessons/_check.ts";

/**
 * `[N, d₁, …, dₖ] → [N, d₁·…·dₖ]` (rank ≥ 2), row-major, so that a `Linear`
 * can follow a `Conv2d` or `MaxPool2d`. Backward reshapes `gradOutput` back to
 * the input's shape.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { Flatten } from "./flatten.ts";
 * const x = Tensor.arange(24).reshape([2, 3, 2, 2]);
 * const f = new Flatten();
 * assert.deepEqual(f.forward(x).shape, [2, 12]);
 * assert.deepEqual(f.backward(x, Tensor.ones([2, 12])).shape, [2, 3, 2, 2]);
 * ```
 */
export class Flatten extends Module {
  /** `[N, ...] → [N, product of the rest]`. */
  override updateOutput(input: Tensor): Tensor {
    checkMinRank(this, "input", input, 2, "[N, ...]");
    const [n, c, h, w] = input.shape;
    this.output = input.reshape([n, c * h * w]);
    return this.output;
  }

  /** `gradOutput` reshaped to the input's shape. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkMinRank(this, "input", input, 2, "[N, ...]");
    checkShape(this, "gradOutput", gradOutput, [input.shape[0], input.size / input.shape[0] || 0]);
    this.gradInput = gradOutput.reshape(input.shape);
    return this.gradInput;
  }
}
