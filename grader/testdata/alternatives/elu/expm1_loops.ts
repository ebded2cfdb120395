// A correct alternative (a grader proof): Math.expm1 in raw loops, the input cached instead of the output, the derivative recomputed from the cached input. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";

/** `x` for x > 0, `alpha·(eˣ − 1)` otherwise. */
export class ELU extends Module {
  alpha: number;
  private lastInput: Float64Array | null = null;

  constructor(alpha?: number) {
    super();
    this.alpha = alpha ?? 1.0;
  }

  override updateOutput(input: Tensor): Tensor {
    const x = input.data;
    this.lastInput = Float64Array.from(x);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : this.alpha * Math.expm1(x[i]);
    this.output = new Tensor(y, [...input.shape]);
    return this.output;
  }

  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    const x = input.data;
    const g = gradOutput.data;
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? g[i] : g[i] * this.alpha * Math.exp(x[i]);
    this.gradInput = new Tensor(out, [...input.shape]);
    return this.gradInput;
  }

  override toString(): string {
    return `ELU(alpha=${this.alpha})`;
  }
}
