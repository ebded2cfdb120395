// Broken on purpose (a student's mistake): the derivative for x > 0 is alpha instead of 1.
// @fails gradInput.alpha, numeric.gradInput.alpha, gradInput.image
// @diagnosis wrong only where the input is positive
/**
 * `ELU`: the exponential linear unit.
 *
 * @module
 */

import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkNumber, checkShape, checkTensor } from "../../../../lessons/_check.ts";

/**
 * `output = x` for x > 0, `alpha·(eˣ − 1)` otherwise, elementwise, any shape.
 * Backward: `gradInput = ∂L/∂input`, elementwise, the shape of `input`
 * (x = 0 belongs to the negative side).
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { ELU } from "./elu.ts";
 * const m = new ELU(2);
 * const y = m.forward(Tensor.from([[-Math.LN2, 0, 3]]));
 * assert.ok(y.allClose(Tensor.from([[-1, 0, 3]])));
 * ```
 */
export class ELU extends Module {
  /** The scale of the negative part: the output tends to −alpha as x → −∞. */
  readonly alpha: number;

  /** `alpha` (default 1) scales the negative part. */
  constructor(alpha = 1.0) {
    super();
    this.alpha = checkNumber("ELU", "alpha", alpha, "to be a finite number", Number.isFinite);
  }

  /** `x` where x > 0, else `alpha·(eˣ − 1)` (computed with expm1, exact near 0). */
  override updateOutput(input: Tensor): Tensor {
    checkTensor(this, "input", input);
    // BEGIN SOLUTION: output = x where x > 0, alpha·(eˣ − 1) elsewhere (expm1 is exact near 0); store in this.output and return it
    this.output = Tensor.where(input.gt(0), input, input.minimum(0).expm1().mulInPlace(this.alpha));
    return this.output;
    // END SOLUTION
  }

  /** ∂L/∂input from `gradOutput`, elementwise, same shape. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkTensor(this, "input", input);
    checkShape(this, "gradOutput", gradOutput, input.shape);
    // BEGIN SOLUTION: ∂L/∂input: gradOutput times the derivative you derive (lessons/elu.md, 'Backward'); store in this.gradInput, return it
    const negative = input.minimum(0).exp().mulInPlace(this.alpha).mulInPlace(gradOutput);
    this.gradInput = Tensor.where(input.gt(0), gradOutput.mul(this.alpha), negative);
    return this.gradInput;
    // END SOLUTION
  }

  /** `ELU alpha=1`. */
  override toString(): string {
    return `ELU alpha=${this.alpha}`;
  }
}
