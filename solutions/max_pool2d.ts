/**
 * `MaxPool2d`: the maximum of each non-overlapping k×k window.
 *
 * @module
 */

import { Tensor } from "../lib/tensor.ts";
import { Module } from "../lib/module.ts";
import { checkPositiveInteger, checkShape, formatShape } from "./_check.ts";

/**
 * Max pooling with stride = kernel: `[N, C, H, W] → [N, C, H/k, W/k]`,
 * `output[n, c, y, x] = max_{i, j < k} input[n, c, k·y + i, k·x + j]`.
 * H and W must be divisible by k.
 *
 * Backward routes each `gradOutput` entry to the position of its window's
 * maximum (the first one in row-major order when there are ties); every
 * other position gets 0. The positions are kept from forward.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { MaxPool2d } from "./max_pool2d.ts";
 * const pool = new MaxPool2d(2);
 * const x = Tensor.from([[[[1, 5, 2, 2], [3, 4, 2, 0]]]]);
 * assert.deepEqual(pool.forward(x).toArray(), [[[[5, 2]]]]);
 * assert.deepEqual(pool.backward(x, Tensor.from([[[[10, 20]]]])).toArray(), [[[[0, 10, 20, 0], [0, 0, 0, 0]]]]);
 * ```
 */
export class MaxPool2d extends Module {
  /** Window height and width k, and the stride. */
  readonly kernelSize: number;
  /** For each output element, the flat index in the input of its window's (first) maximum. */
  private _argmax?: Int32Array;

  /** Non-overlapping `kernelSize`×`kernelSize` windows. */
  constructor(kernelSize: number) {
    super();
    this.kernelSize = checkPositiveInteger("MaxPool2d", "kernelSize", kernelSize);
  }

  /** The maximum of each window, `[N, C, H/k, W/k]`. */
  override updateOutput(input: Tensor): Tensor {
    this._checkInput(input);
    // BEGIN SOLUTION: for each window find the first maximum in row-major order (typed-array loops); write it to the output and its flat input index to this._argmax; store the output in this.output and return it
    const [n, c, h, w] = input.shape;
    const k = this.kernelSize;
    const [oh, ow] = [h / k, w / k];
    const out = new Float64Array(n * c * oh * ow);
    const argmax = new Int32Array(out.length);
    const x = input.data;
    let o = 0;
    for (let plane = 0; plane < n * c; plane++) {
      for (let oy = 0; oy < oh; oy++) {
        const top = (plane * h + oy * k) * w; // the first input row of this row of windows
        if (k === 2) {
          // The common 2×2 window, unrolled: the same first-maximum rule as the loops below
          for (let ox = 0, at = top; ox < ow; ox++, o++, at += 2) {
            let best = at, max = x[at];
            let take = +(x[at + 1] > max);
            best += take, max = x[best];
            take = +(x[at + w] > max);
            best += take * (at + w - best), max = x[best];
            take = +(x[at + w + 1] > max);
            best += take * (at + w + 1 - best);
            out[o] = x[best];
            argmax[o] = best;
          }
          continue;
        }
        for (let ox = 0; ox < ow; ox++, o++) {
          let best = top + ox * k;
          let max = x[best];
          for (let i = 0; i < k; i++) {
            for (let j = 0, at = top + i * w + ox * k; j < k; j++, at++) {
              // best = at when x[at] > max, without an if: on real data that branch goes either
              // way at random, and its mispredictions cost more than the rest of the loop
              const take = +(x[at] > max);
              best += take * (at - best);
              max = x[best];
            }
          }
          out[o] = max;
          argmax[o] = best;
        }
      }
    }
    this._argmax = argmax;
    this.output = new Tensor(out, [n, c, oh, ow]);
    return this.output;
    // END SOLUTION
  }

  /** Each gradOutput entry added at its window's maximum, zeros elsewhere. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    this._checkInput(input);
    const [n, c, h, w] = input.shape;
    checkShape(this, "gradOutput", gradOutput, [n, c, h / this.kernelSize, w / this.kernelSize]);
    // BEGIN SOLUTION: start from zeros of the input's shape and add each gradOutput entry at the index this._argmax kept for it; store in this.gradInput and return it
    const argmax = this._argmax!;
    const grad = new Float64Array(input.size);
    const g = gradOutput.data;
    for (let o = 0; o < g.length; o++) grad[argmax[o]] += g[o];
    this.gradInput = new Tensor(grad, input.shape);
    return this.gradInput;
    // END SOLUTION
  }

  /** `MaxPool2d k=2`. */
  override toString(): string {
    return `MaxPool2d k=${this.kernelSize}`;
  }

  private _checkInput(input: Tensor): void {
    checkShape(this, "input", input, ["N", "C", "H", "W"]);
    const k = this.kernelSize;
    if (input.shape[2] % k !== 0 || input.shape[3] % k !== 0) {
      throw new TypeError(
        `${this}: expected input height and width divisible by ${k}, received ${formatShape(input.shape)}`,
      );
    }
  }
}
