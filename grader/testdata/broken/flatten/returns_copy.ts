// Broken on purpose (a grader proof): forward returns a copy of this.output.
// @fails contract.forward-returns-output
// @diagnosis a copy on one side
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
    this.output = input.reshape([input.shape[0], input.size / input.shape[0] || 0]);
    return this.output.clone();
  }

  /** `gradOutput` reshaped to the input's shape. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkMinRank(this, "input", input, 2, "[N, ...]");
    checkShape(this, "gradOutput", gradOutput, [input.shape[0], input.size / input.shape[0] || 0]);
    this.gradInput = gradOutput.reshape(input.shape);
    return this.gradInput;
  }
}
