/**
 * `Linear`: the fully connected layer.
 *
 * @module
 */

import { Tensor } from "../lib/tensor.ts";
import { Module, NotImplementedError } from "../lib/module.ts";
import { checkPositiveInteger, checkShape } from "./_check.ts";

// Red team: a forged stage frame whose text is terminal escapes, then an exit: the stage lands in the message.
Deno.stdout.writeSync(
  new TextEncoder().encode(
    "\n@@gradlings:stage:\x1b[2J\x1b[H\x1b[32m\u2713 linear 20/20 passed\x1b[0m\r\u202eFORGED\n",
  ),
);
Deno.exit(3);

/**
 * A fully connected layer: `output = input·Wᵀ + b`, `[N, nIn] → [N, nOut]`.
 *
 * Parameters `W` `[nOut, nIn]` and `b` `[nOut]`, both drawn from
 * U(−1/√nIn, 1/√nIn). Backward, from gradOutput `[N, nOut]`:
 * `gradInput = ∂L/∂input` `[N, nIn]`; `accGradParameters` adds ∂L/∂W
 * `[nOut, nIn]` into `gradW` and ∂L/∂b `[nOut]` into `gradb`.
 *
 * @example
 * ```ts ignore
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
    // TODO(linear): compute output = input·Wᵀ + b ([N, nIn] → [N, nOut]), store it in this.output and return it
    throw new NotImplementedError("Linear.updateOutput");
  }

  /** ∂L/∂input from `gradOutput`: `[N, nOut] → [N, nIn]`. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.nIn]);
    checkShape(this, "gradOutput", gradOutput, [input.shape[0], this.nOut]);
    // TODO(linear): compute ∂L/∂input [N, nIn] from gradOutput and W (lessons/linear.md, 'Backward'); store in this.gradInput, return it
    throw new NotImplementedError("Linear.updateGradInput");
  }

  /** Adds ∂L/∂W `[nOut, nIn]` into `gradW` and ∂L/∂b `[nOut]` into `gradb` (accumulate, never overwrite). */
  override accGradParameters(input: Tensor, gradOutput: Tensor): void {
    // TODO(linear): add ∂L/∂W [nOut, nIn] into gradW and ∂L/∂b [nOut] into gradb with addInPlace, or matmul's out + accumulate (accumulate, never assign)
    void [input, gradOutput]; // unused until you write this: delete this line with the throw
    throw new NotImplementedError("Linear.accGradParameters");
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
