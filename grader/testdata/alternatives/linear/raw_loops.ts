// A correct alternative (a grader proof): triple loops over `.data` instead of matmul, b initialised before W with fillUniform, an input-shape check of its own, extra fields. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { fillUniform } from "../../../../lib/random.ts";

/** `output = input·Wᵀ + b`, `[N, nIn] → [N, nOut]`. */
export class Linear extends Module {
  readonly nIn: number;
  readonly nOut: number;
  b: Tensor;
  W: Tensor;
  gradb: Tensor;
  gradW: Tensor;
  callCount = 0;

  constructor(nIn: number, nOut: number) {
    super();
    if (!Number.isInteger(nIn) || nIn < 1 || !Number.isInteger(nOut) || nOut < 1) {
      throw new RangeError(`Linear: expected positive integer sizes, received ${nIn} and ${nOut}`);
    }
    this.nIn = nIn;
    this.nOut = nOut;
    const bound = 1 / Math.sqrt(nIn);
    this.b = new Tensor(fillUniform(new Float64Array(nOut), -bound, bound), [nOut]);
    this.W = new Tensor(fillUniform(new Float64Array(nOut * nIn), -bound, bound), [nOut, nIn]);
    this.gradb = new Tensor(new Float64Array(nOut), [nOut]);
    this.gradW = new Tensor(new Float64Array(nOut * nIn), [nOut, nIn]);
  }

  #check(input: Tensor): number {
    if (input.shape.length !== 2 || input.shape[1] !== this.nIn) {
      throw new TypeError(`Linear: expected input [N, ${this.nIn}], received [${input.shape.join(", ")}]`);
    }
    return input.shape[0];
  }

  override updateOutput(input: Tensor): Tensor {
    const n = this.#check(input);
    this.callCount++;
    const x = input.data, w = this.W.data, b = this.b.data;
    const y = new Float64Array(n * this.nOut);
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < this.nOut; o++) {
        let acc = b[o];
        for (let i = 0; i < this.nIn; i++) acc += x[s * this.nIn + i] * w[o * this.nIn + i];
        y[s * this.nOut + o] = acc;
      }
    }
    this.output = new Tensor(y, [n, this.nOut]);
    return this.output;
  }

  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    const n = this.#check(input);
    const g = gradOutput.data, w = this.W.data;
    const gi = new Float64Array(n * this.nIn);
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < this.nOut; o++) {
        const go = g[s * this.nOut + o];
        for (let i = 0; i < this.nIn; i++) gi[s * this.nIn + i] += go * w[o * this.nIn + i];
      }
    }
    this.gradInput = new Tensor(gi, [n, this.nIn]);
    return this.gradInput;
  }

  override accGradParameters(input: Tensor, gradOutput: Tensor): void {
    const n = this.#check(input);
    const g = gradOutput.data, x = input.data, gw = this.gradW.data, gb = this.gradb.data;
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < this.nOut; o++) {
        const go = g[s * this.nOut + o];
        gb[o] += go;
        for (let i = 0; i < this.nIn; i++) gw[o * this.nIn + i] += go * x[s * this.nIn + i];
      }
    }
  }

  override zeroGradParameters(): void {
    this.gradW.data.fill(0);
    this.gradb.data.fill(0);
  }

  override getParameters(): Tensor[] {
    return [this.W, this.b];
  }

  override getGradParameters(): Tensor[] {
    return [this.gradW, this.gradb];
  }

  override toString(): string {
    return `Linear(${this.nIn} -> ${this.nOut})`;
  }
}
