// A correct alternative (a grader proof): whole-tensor ops (max/sum with keepdims, broadcasting), softmax recomputed from the input in backward, nothing cached. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";

/** Row-wise `x − logΣexp(x)` of `[N, D]`. */
export class LogSoftMax extends Module {
  static #logSumExp(x: Tensor): Tensor {
    const m = x.max(1, true) as Tensor;
    return (x.sub(m).exp().sum(1, true) as Tensor).log().add(m);
  }

  override updateOutput(input: Tensor): Tensor {
    const result = input.sub(LogSoftMax.#logSumExp(input));
    this.output = result;
    return result;
  }

  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    const softmax = input.sub(LogSoftMax.#logSumExp(input)).exp();
    const rowSums = gradOutput.sum(1, true) as Tensor;
    const result = gradOutput.sub(softmax.mul(rowSums));
    this.gradInput = result;
    return result;
  }
}
