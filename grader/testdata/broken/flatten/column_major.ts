// Broken on purpose (a grader proof): each sample is flattened in column-major order (the first axis fastest), and backward undoes that.
// @fails forward.image, gradInput.image, forward.batch1
// @diagnosis column-major
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
/** Each sample's elements in column-major order (the first axis fastest), or back (`undo`). */
function columnMajor(t: Tensor, undo: boolean, shape: readonly number[] = t.shape): Tensor {
  const [n, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n * size);
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < size; k++) {
      let at = 0;
      let left = k;
      let stride = size;
      for (const d of rest) {
        stride /= d;
        at += (left % d) * stride;
        left = Math.floor(left / d);
      }
      if (undo) out[s * size + at] = t.data[s * size + k];
      else out[s * size + k] = t.data[s * size + at];
    }
  }
  return new Tensor(out, undo ? [...shape] : [n, size]);
}

export class Flatten extends Module {
  /** `[N, ...] → [N, product of the rest]`. */
  override updateOutput(input: Tensor): Tensor {
    checkMinRank(this, "input", input, 2, "[N, ...]");
    this.output = columnMajor(input, false);
    return this.output;
  }

  /** `gradOutput` reshaped to the input's shape. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkMinRank(this, "input", input, 2, "[N, ...]");
    checkShape(this, "gradOutput", gradOutput, [input.shape[0], input.size / input.shape[0] || 0]);
    this.gradInput = columnMajor(gradOutput, true, input.shape);
    return this.gradInput;
  }
}
