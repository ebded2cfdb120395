// A correct alternative (a grader proof): clipping with Math.min/Math.max in loops, EPS read from the class. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Criterion } from "../../../../lib/module.ts";

/** `−Σ target·log(clip(input, EPS, 1 − EPS)) / N`. */
export class ClassNLLCriterionUnstable extends Criterion {
  static readonly EPS = 1e-15;

  static clip(p: number): number {
    return Math.min(Math.max(p, ClassNLLCriterionUnstable.EPS), 1 - ClassNLLCriterionUnstable.EPS);
  }

  override updateOutput(input: Tensor, target: Tensor): number {
    let s = 0;
    for (let i = 0; i < input.data.length; i++) {
      s += target.data[i] * Math.log(ClassNLLCriterionUnstable.clip(input.data[i]));
    }
    this.output = -s / input.shape[0];
    return this.output;
  }

  override updateGradInput(input: Tensor, target: Tensor): Tensor {
    const n = input.shape[0];
    const g = new Float64Array(input.data.length);
    for (let i = 0; i < g.length; i++) {
      g[i] = -target.data[i] / ClassNLLCriterionUnstable.clip(input.data[i]) / n;
    }
    this.gradInput = new Tensor(g, input.shape);
    return this.gradInput;
  }
}
