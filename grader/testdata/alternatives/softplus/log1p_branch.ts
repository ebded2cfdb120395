// A correct alternative (a grader proof): Math.log1p(Math.exp(x)) with a branch for large x, the sigmoid in two branches, raw loops. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";

function softplus(x: number): number {
  // For x > 30, log(1 + eˣ) = x + log1p(e^−x) and e^−x < 1e-13.
  return x > 30 ? x + Math.exp(-x) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** `log(1 + eˣ)`, finite for any finite x; gradient sigmoid(x). */
export class SoftPlus extends Module {
  override updateOutput(input: Tensor): Tensor {
    const out = new Float64Array(input.data.length);
    input.data.forEach((x, i) => (out[i] = softplus(x)));
    this.output = new Tensor(out, input.shape);
    return this.output;
  }

  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    const out = new Float64Array(input.data.length);
    for (let i = 0; i < out.length; i++) out[i] = gradOutput.data[i] * sigmoid(input.data[i]);
    this.gradInput = new Tensor(out, input.shape);
    return this.gradInput;
  }
}
