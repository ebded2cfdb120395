// A correct alternative (a grader proof): raw loops over `.data`, a Uint8Array mask kept from forward, results built as new tensors and returned from a local. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";

/** `max(x, 0)` elementwise, any shape; the gradient at 0 is 0. */
export class ReLU extends Module {
  /** 1 where the last forward's input was positive. */
  #positive = new Uint8Array(0);

  override updateOutput(input: Tensor): Tensor {
    const x = input.data;
    const y = new Float64Array(x.length);
    const mask = new Uint8Array(x.length);
    for (let i = 0; i < x.length; i++) {
      if (x[i] > 0) {
        y[i] = x[i];
        mask[i] = 1;
      }
    }
    this.#positive = mask;
    const out = new Tensor(y, input.shape);
    this.output = out;
    return out;
  }

  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    const g = gradOutput.data;
    const x = input.data;
    const out = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) out[i] = x[i] > 0 ? g[i] : 0;
    const result = new Tensor(out, input.shape);
    this.gradInput = result;
    return result;
  }

  override toString(): string {
    return "ReLU()";
  }
}
