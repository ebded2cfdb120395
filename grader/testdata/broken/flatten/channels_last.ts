// Broken on purpose (a grader proof): each image is flattened channels-last ([H, W, C] order), as in TensorFlow.
// @fails forward.image, gradInput.image
// @diagnosis at the wrong positions
/**
 * `Flatten`: from images to vectors (a worked example, given finished).
 *
 * @module
 */

import { Tensor } from "../../../../lib/tensor.ts";
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
/** Each sample with its axis 1 moved last, flattened (or back, `undo`). */
function channelsLast(t: Tensor, undo: boolean, shape: readonly number[] = t.shape): Tensor {
  const [n, c] = shape;
  const size = shape.slice(1).reduce((a, b) => a * b, 1);
  const rest = size / c;
  const out = new Float64Array(n * size);
  for (let s = 0; s < n; s++) {
    for (let ch = 0; ch < c; ch++) {
      for (let r = 0; r < rest; r++) {
        const [from, to] = [s * size + ch * rest + r, s * size + r * c + ch];
        if (undo) out[from] = t.data[to];
        else out[to] = t.data[from];
      }
    }
  }
  return new Tensor(out, undo ? [...shape] : [n, size]);
}

export class Flatten extends Module {
  /** `[N, ...] → [N, product of the rest]`. */
  override updateOutput(input: Tensor): Tensor {
    checkMinRank(this, "input", input, 2, "[N, ...]");
    this.output = channelsLast(input, false);
    return this.output;
  }

  /** `gradOutput` reshaped to the input's shape. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkMinRank(this, "input", input, 2, "[N, ...]");
    checkShape(this, "gradOutput", gradOutput, [input.shape[0], input.size / input.shape[0] || 0]);
    this.gradInput = channelsLast(gradOutput, true, input.shape);
    return this.gradInput;
  }
}
