// Broken on purpose (a student's mistake): evaluation mode scales the input by 1/(1 − p).
// @fails eval.identity
// @diagnosis ÷ (1 − p)
/**
 * `Dropout`: random zeroing of activations during training.
 *
 * @module
 */

import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkNumber, checkShape, checkTensor } from "../../../../lessons/_check.ts";

/**
 * Inverted dropout, any shape. `p` is the probability to **drop**.
 *
 * Training: a mask M draws each element independently from `lib/random.ts`,
 * 1 with probability 1 − p (kept) and 0 otherwise; `output = input ⊙ M / (1 − p)`,
 * so the expected output is the input. Backward, `gradInput = ∂L/∂input`,
 * reuses the mask of the forward it follows. Evaluation, and p = 0: the
 * identity (forward and backward), with no random draws.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { seed } from "../../../../lib/random.ts";
 * import { Dropout } from "./dropout.ts";
 * seed(1);
 * const drop = new Dropout(0.5);
 * const y = drop.forward(Tensor.ones([1000]));
 * assert.ok(y.data.every((v) => v === 0 || v === 2));
 * drop.evaluate();
 * assert.deepEqual(drop.forward(Tensor.from([1, 2])).toArray(), [1, 2]);
 * ```
 */
export class Dropout extends Module {
  /** Probability to drop an element, in [0, 1). */
  readonly p: number;
  /** The scaled mask `M / (1 − p)` of the last training forward, for backward. */
  private _mask?: Tensor;

  /** `p` (default 0.5) is the probability to drop, in [0, 1). */
  constructor(p = 0.5) {
    super();
    this.p = checkNumber("Dropout", "p", p, "in [0, 1)", (v) => v >= 0 && v < 1);
  }

  /** Training: `input ⊙ M / (1 − p)` with a fresh mask; evaluation or p = 0: `input`. */
  override updateOutput(input: Tensor): Tensor {
    checkTensor(this, "input", input);
    // BEGIN SOLUTION: training, p > 0: input ⊙ Tensor.bernoulli(shape, 1 − p)/(1 − p), that scaled mask kept in this._mask; else copy input. → this.output
    if (!this.training || this.p === 0) {
      this.output = input.mul(1 / (1 - this.p));
      return this.output;
    }
    this._mask = Tensor.bernoulli(input.shape, 1 - this.p).mulInPlace(1 / (1 - this.p));
    this.output = input.mul(this._mask);
    return this.output;
    // END SOLUTION
  }

  /** Training: ∂L/∂input through the forward's mask; evaluation or p = 0: `gradOutput` (the identity). */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkTensor(this, "input", input);
    checkShape(this, "gradOutput", gradOutput, input.shape);
    // BEGIN SOLUTION: training, p > 0: ∂L/∂input with the forward's this._mask (lessons/dropout.md, 'Backward'); else copy gradOutput → this.gradInput
    if (!this.training || this.p === 0) {
      this.gradInput = gradOutput.clone();
      return this.gradInput;
    }
    if (this._mask === undefined) throw new Error(`${this}: backward called before forward`);
    this.gradInput = gradOutput.mul(this._mask);
    return this.gradInput;
    // END SOLUTION
  }

  /** `Dropout p=0.5`. */
  override toString(): string {
    return `Dropout p=${this.p}`;
  }
}
