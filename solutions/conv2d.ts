/**
 * `Conv2d`: 2-D convolution ("same" padding, stride 1) by im2col and one matrix product.
 *
 * @module
 */

import { Tensor } from "../lib/tensor.ts";
import { Module } from "../lib/module.ts";
import { checkNumber, checkPositiveInteger, checkShape } from "./_check.ts";

/**
 * A 2-D cross-correlation (the kernel is not flipped), stride 1, zero padding
 * p = k//2 so the image keeps its size: `[N, Cin, H, W] → [N, Cout, H, W]`,
 *
 *     output[n, o, y, x] = b[o] + Σ_{c, i, j} W[o, c, i, j] · input[n, c, y + i − p, x + j − p]
 *
 * with the input taken as 0 outside the image. `W` `[Cout, Cin, k, k]` and
 * `b` `[Cout]` are drawn from U(−1/√Cin, 1/√Cin); `k` must be odd.
 *
 * im2col lays every k×k patch of image n out as a column: cols_n
 * `[Cin·k·k, H·W]`, so that with Wm = W as `[Cout, Cin·k·k]` (a view, no
 * copy) the forward of each image is one matrix product,
 * `output[n] = Wm·cols_n + b`. Backward gives `gradInput = ∂L/∂input`
 * `[N, Cin, H, W]` and adds ∂L/∂W `[Cout, Cin, k, k]` into `gradW` and ∂L/∂b
 * `[Cout]` into `gradb`, image by image too; col2im (`_im2col` with `fold`),
 * the adjoint of im2col, adds every column back onto its patch. Working image
 * by image keeps every product in `[N, C, H, W]` order (no transposes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { Conv2d } from "./conv2d.ts";
 * const conv = new Conv2d(1, 1, 3);
 * conv.W.copyInPlace(Tensor.from([[[[0, 0, 0], [0, 0, 1], [0, 0, 0]]]])); // picks the right neighbour
 * conv.b.fillInPlace(0);
 * const y = conv.forward(Tensor.from([[[[1, 2, 3], [4, 5, 6]]]]));
 * assert.deepEqual(y.toArray(), [[[[2, 3, 0], [5, 6, 0]]]]);
 * assert.equal(String(conv), "Conv2d 1 -> 1 k=3");
 * ```
 */
export class Conv2d extends Module {
  /** Input channels Cin. */
  readonly inChannels: number;
  /** Output channels Cout. */
  readonly outChannels: number;
  /** Kernel height and width k (odd). */
  readonly kernelSize: number;
  /** Kernels `[Cout, Cin, k, k]`. */
  readonly W: Tensor;
  /** Bias `[Cout]`. */
  readonly b: Tensor;
  /** ∂L/∂W, accumulated, `[Cout, Cin, k, k]`. */
  readonly gradW: Tensor;
  /** ∂L/∂b, accumulated, `[Cout]`. */
  readonly gradb: Tensor;
  /** im2col of the last forward's input, `[N, Cin·k·k, H, W]` (cols_n for each image n), for gradW. */
  private _cols?: Tensor;

  /** A layer from `inChannels` to `outChannels` with `kernelSize`×`kernelSize` kernels (odd size). */
  constructor(inChannels: number, outChannels: number, kernelSize: number) {
    super();
    this.inChannels = checkPositiveInteger("Conv2d", "inChannels", inChannels);
    this.outChannels = checkPositiveInteger("Conv2d", "outChannels", outChannels);
    this.kernelSize = checkPositiveInteger("Conv2d", "kernelSize", kernelSize);
    checkNumber("Conv2d", "kernelSize", kernelSize, `to be odd ("same" padding k//2)`, (k) => k % 2 === 1);
    const bound = 1 / Math.sqrt(inChannels);
    this.W = Tensor.uniform([outChannels, inChannels, kernelSize, kernelSize], -bound, bound);
    this.b = Tensor.uniform([outChannels], -bound, bound);
    this.gradW = Tensor.zerosLike(this.W);
    this.gradb = Tensor.zerosLike(this.b);
  }

  /** `output[n] = Wm·cols_n + b` for each image n. */
  override updateOutput(input: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.inChannels, "H", "W"]);
    // BEGIN SOLUTION: per image n: cols_n by _im2col (all kept in this._cols), output[n] = Wm·cols_n + b (Wm: W as [Cout, Cin·k·k]) → this.output
    const [n, cin, h, w] = input.shape;
    const [cout, rows, k] = [this.outChannels, cin * this.kernelSize ** 2, this.kernelSize];
    // Same shape as last time: the padding zeros _im2col leaves are where they were, so reuse cols
    if (String(this._cols?.shape) !== String([n, rows, h, w])) this._cols = Tensor.zeros([n, rows, h, w]);
    this.output = Tensor.zeros([n, cout, h, w]);
    const [wm, b, out, hw] = [_block(this.W, 0, cout, rows), this.b.data, this.output.data, h * w];
    for (let i = 0; i < n; i++) {
      const cols = _block(this._cols!, i, rows, hw);
      _im2col(_block(input, i, cin, hw).data, cols.data, [cin, h, w], k, false);
      // Image i's block of the output ([Cout, H·W]) starts as the bias, and the product is added
      // to it in place (b + y is y + b: addition commutes exactly in floating point)
      for (let o = 0, at = i * cout * hw; o < cout; o++, at += hw) out.fill(b[o], at, at + hw);
      wm.matmul(cols, { out: _block(this.output, i, cout, hw), accumulate: true });
    }
    return this.output;
    // END SOLUTION
  }

  /** ∂L/∂input `[N, Cin, H, W]` from `gradOutput` `[N, Cout, H, W]`, image by image. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.inChannels, "H", "W"]);
    const [n, , h, w] = input.shape;
    checkShape(this, "gradOutput", gradOutput, [n, this.outChannels, h, w]);
    // BEGIN SOLUTION: zeros like input; per image n, ∂L/∂cols_n [Cin·k·k, H·W] folded in by _im2col(…, fold = true) (lessons/conv2d.md) → this.gradInput
    const [cin, cout, k] = [this.inChannels, this.outChannels, this.kernelSize];
    const wm = _block(this.W, 0, cout, cin * k * k);
    this.gradInput = Tensor.zerosLike(input);
    const gradCols = Tensor.zeros([cin * k * k, h * w]); // scratch, overwritten for each image
    for (let i = 0; i < n; i++) {
      wm.matmul(_block(gradOutput, i, cout, h * w), { transA: true, out: gradCols });
      _im2col(_block(this.gradInput, i, cin, h * w).data, gradCols.data, [cin, h, w], k, true);
    }
    return this.gradInput;
    // END SOLUTION
  }

  /** Adds ∂L/∂W `[Cout, Cin, k, k]` into `gradW` and ∂L/∂b `[Cout]` into `gradb` (accumulate). */
  override accGradParameters(_input: Tensor, gradOutput: Tensor): void {
    // BEGIN SOLUTION: per image n, add ∂L/∂Wm (with cols_n from this._cols) into gradW as [Cout, Cin·k·k]; add ∂L/∂b into gradb (lessons/conv2d.md)
    const [n, cout, h, w] = gradOutput.shape;
    const rows = this.inChannels * this.kernelSize ** 2;
    const gradWm = _block(this.gradW, 0, cout, rows);
    for (let i = 0; i < n; i++) {
      const g = _block(gradOutput, i, cout, h * w);
      g.matmul(_block(this._cols!, i, rows, h * w), { transB: true, out: gradWm, accumulate: true });
    }
    this.gradb.addInPlace(gradOutput.sum([0, 2, 3]));
    // END SOLUTION
  }

  /** `[W, b]`. */
  override getParameters(): Tensor[] {
    return [this.W, this.b];
  }

  /** `[gradW, gradb]`. */
  override getGradParameters(): Tensor[] {
    return [this.gradW, this.gradb];
  }

  /** `Conv2d Cin -> Cout k=3`. */
  override toString(): string {
    return `Conv2d ${this.inChannels} -> ${this.outChannels} k=${this.kernelSize}`;
  }
}

/** Block `i` of `t`'s elements as a `[rows, cols]` matrix: a view that shares `t.data`, not a copy. */
function _block(t: Tensor, i: number, rows: number, cols: number): Tensor {
  return new Tensor(t.data.subarray(i * rows * cols, (i + 1) * rows * cols), [rows, cols]);
}

/**
 * Moves data between one image `im` `[C, H, W]` and its im2col matrix
 * `[C·k·k, H·W]` (zero padding p = k//2): entry (row r = `(c·k + i)·k + j`,
 * column `y·W + x`) pairs with `im[c, y + i − p, x + j − p]`, or with
 * nothing outside the image. `fold` false is im2col (`cols[…] = im[…]`);
 * `fold` true is col2im, its adjoint (`im[…] += cols[…]`).
 */
function _im2col(im: Float64Array, cols: Float64Array, shape: readonly number[], k: number, fold: boolean) {
  // BEGIN SOLUTION: for each row r = (c, i, j), loop over the (y, x) that stay inside the image with typed-array loops: copy into cols, or add into im when fold
  const [c, h, w] = shape;
  const p = (k - 1) / 2;
  for (let r = 0; r < c * k * k; r++) {
    const ci = Math.floor(r / (k * k)), dy = (Math.floor(r / k) % k) - p, dx = (r % k) - p;
    const y0 = Math.max(0, -dy), y1 = Math.min(h, h - dy);
    const x0 = Math.max(0, -dx), x1 = Math.min(w, w - dx);
    const img = ci * h * w + dy * w + dx, col = r * h * w;
    if (fold) {
      // Add back only the (y, x) inside the image, one image row at a time
      for (let y = y0; y < y1; y++) {
        for (let t = col + y * w + x0, s = img + y * w + x0, end = col + y * w + x1; t < end; t++, s++) {
          im[s] += cols[t];
        }
      }
    } else {
      // Row r of cols is im shifted by one offset, so from the first pixel inside to the last it
      // moves in one run (one native copy); the columns past the edges (x < x0, x ≥ x1) wrap
      // round in that run and are zeroed after it
      const start = y0 * w + x0, end = (y1 - 1) * w + x1;
      if (end > start) cols.set(im.subarray(img + start, img + end), col + start);
      for (let y = y0; y < y1; y++) {
        for (let x = 0; x < x0; x++) cols[col + y * w + x] = 0;
        for (let x = x1; x < w; x++) cols[col + y * w + x] = 0;
      }
    }
  }
  // END SOLUTION
}
