// A correct alternative (a grader proof): loops that only visit the target's nonzero entries; gradient via Tensor.zeros and writes into its data. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Criterion } from "../../../../lib/module.ts";

/** `−Σ target·input / N` on log-probabilities. */
export class ClassNLLCriterion extends Criterion {
  override updateOutput(input: Tensor, target: Tensor): number {
    let loss = 0;
    target.data.forEach((t, i) => {
      if (t !== 0) loss -= t * input.data[i];
    });
    this.output = loss / input.shape[0];
    return this.output;
  }

  override updateGradInput(input: Tensor, target: Tensor): Tensor {
    const g = Tensor.zeros(input.shape);
    const n = input.shape[0];
    target.data.forEach((t, i) => {
      if (t !== 0) g.data[i] = -t / n;
    });
    this.gradInput = g;
    return g;
  }
}
