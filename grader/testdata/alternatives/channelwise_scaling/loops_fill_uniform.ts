// A correct alternative (a grader proof): beta drawn before gamma with fillUniform, per-feature loops, the input cached in a field. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { fillUniform } from "../../../../lib/random.ts";

/** `input·gamma + beta` per feature of `[N, D]`. */
export class ChannelwiseScaling extends Module {
  beta: Tensor;
  gamma: Tensor;
  gradBeta: Tensor;
  gradGamma: Tensor;
  private seen?: Tensor;

  constructor(nOut: number) {
    super();
    const r = 1 / Math.sqrt(nOut);
    this.beta = new Tensor(fillUniform(new Float64Array(nOut), -r, r), [nOut]);
    this.gamma = new Tensor(fillUniform(new Float64Array(nOut), -r, r), [nOut]);
    this.gradBeta = Tensor.zeros([nOut]);
    this.gradGamma = Tensor.zeros([nOut]);
  }

  override updateOutput(input: Tensor): Tensor {
    this.seen = input;
    const d = this.gamma.data.length;
    const out = new Float64Array(input.data.length);
    for (let i = 0; i < out.length; i++) {
      out[i] = input.data[i] * this.gamma.data[i % d] + this.beta.data[i % d];
    }
    this.output = new Tensor(out, input.shape);
    return this.output;
  }

  override updateGradInput(_input: Tensor, gradOutput: Tensor): Tensor {
    const d = this.gamma.data.length;
    const out = new Float64Array(gradOutput.data.length);
    for (let i = 0; i < out.length; i++) out[i] = gradOutput.data[i] * this.gamma.data[i % d];
    this.gradInput = new Tensor(out, gradOutput.shape);
    return this.gradInput;
  }

  override accGradParameters(input: Tensor, gradOutput: Tensor): void {
    const d = this.gamma.data.length;
    for (let i = 0; i < input.data.length; i++) {
      this.gradGamma.data[i % d] += gradOutput.data[i] * input.data[i];
      this.gradBeta.data[i % d] += gradOutput.data[i];
    }
  }

  override getParameters(): Tensor[] {
    return [this.gamma, this.beta];
  }

  override getGradParameters(): Tensor[] {
    return [this.gradGamma, this.gradBeta];
  }
}
