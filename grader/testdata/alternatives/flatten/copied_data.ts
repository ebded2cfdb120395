// A correct alternative (a grader proof): new tensors over copies of `.data` instead of reshape, the input shape kept in a field. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";

/** `[N, ...] → [N, product]`, row-major. */
export class Flatten extends Module {
  private inputShape: number[] = [];

  override updateOutput(input: Tensor): Tensor {
    if (input.shape.length < 2) {
      throw new TypeError(`Flatten: expected rank ≥ 2, received [${input.shape.join(", ")}]`);
    }
    this.inputShape = [...input.shape];
    const n = input.shape[0];
    this.output = new Tensor(input.data.slice(), [n, n === 0 ? 0 : input.data.length / n]);
    return this.output;
  }

  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    this.gradInput = new Tensor(Float64Array.from(gradOutput.data), input.shape);
    return this.gradInput;
  }
}
