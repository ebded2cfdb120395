// A correct alternative (a grader proof): Tensor.where with a cached boolean tensor, the slope kept under another field name, toString written differently. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";

/** `x` for x > 0, `slope·x` otherwise; gradient `slope` at 0. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  private positive?: Tensor;

  constructor(slope = 0.03) {
    super();
    if (typeof slope !== "number" || !Number.isFinite(slope)) {
      throw new TypeError(`LeakyReLU: expected a finite slope, received ${slope}`);
    }
    this.negativeSlope = slope;
  }

  override updateOutput(input: Tensor): Tensor {
    this.positive = input.gt(0);
    this.output = Tensor.where(this.positive, input, input.mul(this.negativeSlope));
    return this.output;
  }

  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    const positive = input.gt(0);
    this.gradInput = Tensor.where(positive, gradOutput, gradOutput.mul(this.negativeSlope));
    return this.gradInput;
  }

  override toString(): string {
    return `LeakyReLU(negative_slope=${this.negativeSlope})`;
  }
}
