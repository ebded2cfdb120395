// A correct alternative (a grader proof): the loss and gradient with plain loops, gradient built element by element. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Criterion } from "../../../../lib/module.ts";

/** `Σ(input − target)² / N`. */
export class MSECriterion extends Criterion {
  override updateOutput(input: Tensor, target: Tensor): number {
    let s = 0;
    for (let i = 0; i < input.data.length; i++) {
      const d = input.data[i] - target.data[i];
      s += d * d;
    }
    this.output = s / input.shape[0];
    return this.output;
  }

  override updateGradInput(input: Tensor, target: Tensor): Tensor {
    const n = input.shape[0];
    const g = new Float64Array(input.data.length);
    for (let i = 0; i < g.length; i++) g[i] = (2 / n) * (input.data[i] - target.data[i]);
    this.gradInput = new Tensor(g, input.shape);
    return this.gradInput;
  }
}
