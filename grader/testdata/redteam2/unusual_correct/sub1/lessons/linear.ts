/**
 * `Linear`: the fully connected layer.
 *
 * @module
 */

import { Tensor } from "../lib/tensor.ts";
import { Module } from "../lib/module.ts";
import { checkPositiveInteger, checkShape } from "./_check.ts";


class F64 extends Float64Array {}
class MyTensor extends Tensor {}
const mine = (t: Tensor) => new MyTensor(F64.from(t.data), t.shape);
(Float64Array.prototype as unknown as { toJSON: () => string }).toJSON = () => "lie";

/**
 * A fully connected layer: `output = input·Wᵀ + b`, `[N, nIn] → [N, nOut]`.
 *
 * Parameters `W` `[nOut, nIn]` and `b` `[nOut]`, both drawn from
 * U(−1/√nIn, 1/√nIn). Backward, from gradOutput `[N, nOut]`:
 * `gradInput = ∂L/∂input` `[N, nIn]`; `accGradParameters` adds ∂L/∂W
 * `[nOut, nIn]` into `gradW` and ∂L/∂b `[nOut]` into `gradb`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { Linear } from "./linear.ts";
 * const layer = new Linear(3, 2);
 * layer.W.copyInPlace(Tensor.from([[1, 0, 0], [0, 1, 1]]));
 * layer.b.copyInPlace(Tensor.from([10, 20]));
 * const y = layer.forward(Tensor.from([[1, 2, 3]]));
 * assert.deepEqual(y.toArray(), [[11, 25]]);
 * const gradInput = layer.backward(Tensor.from([[1, 2, 3]]), Tensor.from([[1, 1]]));
 * assert.deepEqual(gradInput.shape, [1, 3]);
 * assert.deepEqual(layer.gradW.shape, [2, 3]);
 * assert.equal(String(layer), "Linear 3 -> 2");
 * ```
 */
export class Linear extends Module {
  /** Input features. */
  readonly nIn: number;
  /** Output features. */
  readonly nOut: number;
  /** Weights `[nOut, nIn]`. */
  readonly W: Tensor;
  /** Bias `[nOut]`. */
  readonly b: Tensor;
  /** ∂L/∂W, accumulated, `[nOut, nIn]`. */
  readonly gradW: Tensor;
  /** ∂L/∂b, accumulated, `[nOut]`. */
  readonly gradb: Tensor;

  /** A layer from `nIn` to `nOut` features (both positive integers). */
  constructor(nIn: number, nOut: number) {
    super();
    this.nIn = checkPositiveInteger("Linear", "nIn", nIn);
    this.nOut = checkPositiveInteger("Linear", "nOut", nOut);
    const bound = 1 / Math.sqrt(nIn);
    this.W = Tensor.uniform([nOut, nIn], -bound, bound);
    this.b = Tensor.uniform([nOut], -bound, bound);
    this.gradW = Tensor.zeros([nOut, nIn]);
    this.gradb = Tensor.zeros([nOut]);
  }

  /** `output = input·Wᵀ + b`: `[N, nIn] → [N, nOut]`. */
  override updateOutput(input: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.nIn]);
    // BEGIN SOLUTION: compute output = input·Wᵀ + b ([N, nIn] → [N, nOut]), store it in this.output and return it
    this.output = input.matmul(this.W, { transB: true }).addInPlace(this.b);
    this.output = mine(this.output);
    return this.output;
    // END SOLUTION
  }

  /** ∂L/∂input from `gradOutput`: `[N, nOut] → [N, nIn]`. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.nIn]);
    checkShape(this, "gradOutput", gradOutput, [input.shape[0], this.nOut]);
    // BEGIN SOLUTION: compute ∂L/∂input [N, nIn] from gradOutput and W (lessons/linear.md, 'Backward'); store in this.gradInput, return it
    this.gradInput = gradOutput.matmul(this.W);
    this.gradInput = mine(this.gradInput);
    return this.gradInput;
    // END SOLUTION
  }

  /** Adds ∂L/∂W `[nOut, nIn]` into `gradW` and ∂L/∂b `[nOut]` into `gradb` (accumulate, never overwrite). */
  override accGradParameters(input: Tensor, gradOutput: Tensor): void {
    // BEGIN SOLUTION: add ∂L/∂W [nOut, nIn] into gradW and ∂L/∂b [nOut] into gradb with addInPlace, or matmul's out + accumulate (accumulate, never assign)
    gradOutput.matmul(input, { transA: true, out: this.gradW, accumulate: true });
    this.gradb.addInPlace(gradOutput.sum(0));
    // END SOLUTION
  }

  /** `[W, b]`, the same objects for the layer's life. */
  override getParameters(): Tensor[] {
    return [this.W, this.b];
  }

  /** `[gradW, gradb]`, in the order of `getParameters()`. */
  override getGradParameters(): Tensor[] {
    return [this.gradW, this.gradb];
  }

  /** `Linear nIn -> nOut`. */
  override toString(): string {
    return `Linear ${this.nIn} -> ${this.nOut}`;
  }
}
