// Broken on purpose (a student's mistake): gradGamma sums over features (axis 1) instead of the batch.
// @fails gradInput.rect, gradGamma.rect, gradBeta.rect
// @diagnosis the wrong axis
/**
 * `ChannelwiseScaling`: a learnable scale and shift per feature (a worked
 * example, given finished).
 *
 * @module
 */

import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkPositiveInteger, checkShape } from "../../../../lessons/_check.ts";

/**
 * `output = input ⊙ gamma + beta` per feature, `[N, D] → [N, D]` with D = nOut.
 *
 * Parameters `gamma`, `beta` `[nOut]`, drawn from U(−1/√nOut, 1/√nOut).
 * Backward, with G = gradOutput: `gradInput = G ⊙ gamma`,
 * `gradGamma += Σₙ G ⊙ input`, `gradBeta += Σₙ G`. Put after
 * `BatchNormalization`, it gives back the scale and shift normalisation removed.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { ChannelwiseScaling } from "./channelwise_scaling.ts";
 * const m = new ChannelwiseScaling(2);
 * m.gamma.copyInPlace(Tensor.from([2, 3]));
 * m.beta.copyInPlace(Tensor.from([1, 0]));
 * assert.deepEqual(m.forward(Tensor.from([[1, 1], [0, 2]])).toArray(), [[3, 3], [1, 6]]);
 * m.backward(Tensor.from([[1, 1], [0, 2]]), Tensor.ones([2, 2]));
 * assert.deepEqual(m.gradGamma.toArray(), [1, 3]);
 * ```
 */
export class ChannelwiseScaling extends Module {
  /** Features. */
  readonly nOut: number;
  /** Scale per feature `[nOut]`. */
  readonly gamma: Tensor;
  /** Shift per feature `[nOut]`. */
  readonly beta: Tensor;
  /** ∂L/∂gamma, accumulated, `[nOut]`. */
  readonly gradGamma: Tensor;
  /** ∂L/∂beta, accumulated, `[nOut]`. */
  readonly gradBeta: Tensor;

  /** A scale and shift for each of `nOut` features. */
  constructor(nOut: number) {
    super();
    this.nOut = checkPositiveInteger("ChannelwiseScaling", "nOut", nOut);
    const bound = 1 / Math.sqrt(nOut);
    this.gamma = Tensor.uniform([nOut], -bound, bound);
    this.beta = Tensor.uniform([nOut], -bound, bound);
    this.gradGamma = Tensor.zeros([nOut]);
    this.gradBeta = Tensor.zeros([nOut]);
  }

  /** `input ⊙ gamma + beta`. */
  override updateOutput(input: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.nOut]);
    this.output = input.mul(this.gamma).addInPlace(this.beta);
    return this.output;
  }

  /** `gradOutput ⊙ gamma`. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.nOut]);
    checkShape(this, "gradOutput", gradOutput, input.shape);
    this.gradInput = gradOutput.mul(this.gamma);
    return this.gradInput;
  }

  /** `gradGamma += Σₙ gradOutput ⊙ input`, `gradBeta += Σₙ gradOutput`. */
  override accGradParameters(input: Tensor, gradOutput: Tensor): void {
    this.gradGamma.addInPlace(gradOutput.mul(input).sum(1));
    this.gradBeta.addInPlace(gradOutput.sum(0));
  }

  /** `[gamma, beta]`. */
  override getParameters(): Tensor[] {
    return [this.gamma, this.beta];
  }

  /** `[gradGamma, gradBeta]`. */
  override getGradParameters(): Tensor[] {
    return [this.gradGamma, this.gradBeta];
  }

  /** `ChannelwiseScaling nOut`. */
  override toString(): string {
    return `ChannelwiseScaling ${this.nOut}`;
  }
}
