// Broken on purpose (a grader proof): the forward is ReLU's max(x, 0) (the backward is right).
// @fails forward.batch1, forward.rect, forward.slope
// @diagnosis negative inputs are set to 0
/**
 * `LeakyReLU`: a ReLU with a small slope for negative inputs.
 *
 * @module
 */

import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkNumber, checkShape, checkTensor } from "../../../../lessons/_check.ts";

/**
 * `output = x` for x > 0, `slope·x` otherwise, elementwise, any shape.
 * Backward: `gradInput = ∂L/∂input`, elementwise, the shape of `input`; at
 * exactly 0 the kit takes the `slope` side (SPEC.md).
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { LeakyReLU } from "./leaky_relu.ts";
 * const m = new LeakyReLU(0.5);
 * assert.deepEqual(m.forward(Tensor.from([[-2, 0, 3]])).toArray(), [[-1, 0, 3]]);
 * assert.deepEqual(m.backward(Tensor.from([[-2, 0, 3]]), Tensor.ones([1, 3])).shape, [1, 3]);
 * ```
 */
export class LeakyReLU extends Module {
  /** The slope for x ≤ 0. */
  readonly slope: number;

  /** `slope` (default 0.03) multiplies the inputs ≤ 0. */
  constructor(slope = 0.03) {
    super();
    this.slope = checkNumber("LeakyReLU", "slope", slope, "to be a finite number", Number.isFinite);
  }

  /** `x` where x > 0, else `slope·x`. */
  override updateOutput(input: Tensor): Tensor {
    checkTensor(this, "input", input);
    // BEGIN SOLUTION: output = x where x > 0, slope·x elsewhere (Tensor.where); store in this.output and return it
    this.output = input.maximum(0);
    return this.output;
    // END SOLUTION
  }

  /** ∂L/∂input from `gradOutput`, elementwise, same shape. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkTensor(this, "input", input);
    checkShape(this, "gradOutput", gradOutput, input.shape);
    // BEGIN SOLUTION: ∂L/∂input: gradOutput times the derivative you derive (lessons/leaky_relu.md, 'Backward'); store in this.gradInput, return it
    this.gradInput = Tensor.where(input.gt(0), gradOutput, gradOutput.mul(this.slope));
    return this.gradInput;
    // END SOLUTION
  }

  /** `LeakyReLU slope=0.03`. */
  override toString(): string {
    return `LeakyReLU slope=${this.slope}`;
  }
}
