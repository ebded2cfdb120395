// Broken on purpose (a grader proof): gradW is accumulated with the kernel's row and column swapped.
// @fails gradW.single, gradW.multi, numeric.gradW.multi
// @diagnosis last two axes swapped
/**
 * `Conv2d`: 2-D convolution ("same" padding, stride 1) by im2col and one matrix product.
 *
 * @module
 */

import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkNumber, checkPositiveInteger, checkShape } from "../../../../lessons/_check.ts";

/**
 * A 2-D cross-correlation (the kernel is not flipped), stride 1, zero padding
 * p = k//2 so the image keeps its size: `[N, Cin, H, W] → [N, Cout, H, W]`,
 *
 *     output[n, o, y, x] = b[o] + Σ_{c, i, j} W[o, c, i, j] · input[n, c, y + i − p, x + j − p]
 *
 * with the input taken as 0 outside the image. `W` `[Cout, Cin, k, k]` and
 * `b` `[Cout]` are drawn from U(−1/√Cin, 1/√Cin); `k` must be odd.
 *
 * im2col lays every k×k patch out as a column: cols `[Cin·k·k, N·H·W]`, so
 * that with Wm = W as `[Cout, Cin·k·k]` and G = gradOutput as `[Cout, N·H·W]`:
 * `output = Wm·cols + b`, `gradW += G·colsᵀ`, `gradb += Σ G` and
 * `gradInput = col2im(Wmᵀ·G)`, where col2im adds every column back onto its patch.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
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
  /** im2col of the last forward's input, `[Cin·k·k, N·H·W]`, for gradW. */
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

  /** `output = Wm·im2col(input) + b`, rearranged to `[N, Cout, H, W]`. */
  override updateOutput(input: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.inChannels, "H", "W"]);
    // BEGIN SOLUTION: fill cols [Cin·k·k, N·H·W] with _im2col (keep it in this._cols), multiply W viewed as [Cout, Cin·k·k] by it, rearrange [Cout, N, H, W] to [N, Cout, H, W] and add b per channel; store in this.output and return it
    const [n, cin, h, w] = input.shape;
    const [cout, k] = [this.outChannels, this.kernelSize];
    const p = (k - 1) / 2;
    this.output = Tensor.zeros([n, cout, h, w]);
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < cout; o++) {
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            let acc = this.b.data[o];
            for (let c = 0; c < cin; c++) {
              for (let i = 0; i < k; i++) {
                for (let j = 0; j < k; j++) {
                  const [yy, xx] = [y + i - p, x + j - p];
                  if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                  acc += input.data[((s * cin + c) * h + yy) * w + xx] *
                    this.W.data[((o * cin + c) * k + i) * k + j];
                }
              }
            }
            this.output.data[((s * cout + o) * h + y) * w + x] = acc;
          }
        }
      }
    }
    return this.output;
    // END SOLUTION
  }

  /** `gradInput = col2im(Wmᵀ·G)`, G = gradOutput as `[Cout, N·H·W]`. */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    checkShape(this, "input", input, ["N", this.inChannels, "H", "W"]);
    const [n, , h, w] = input.shape;
    checkShape(this, "gradOutput", gradOutput, [n, this.outChannels, h, w]);
    // BEGIN SOLUTION: rearrange gradOutput to G [Cout, N·H·W], compute Wmᵀ·G ([Cin·k·k, N·H·W]) and fold it into a zero tensor of the input's shape with _im2col(…, fold = true); store in this.gradInput and return it
    this.gradInput = Tensor.zerosLike(input);
    this._loops(input, gradOutput, this.gradInput, undefined);
    return this.gradInput;
    // END SOLUTION
  }

  /** `gradW += G·colsᵀ`, `gradb += Σ G` over batch and positions. */
  override accGradParameters(_input: Tensor, gradOutput: Tensor): void {
    // BEGIN SOLUTION: with G = gradOutput as [Cout, N·H·W] and the forward's this._cols, add G·colsᵀ (reshaped like W) to gradW and the row sums of G to gradb
    this._loops(_input, gradOutput, undefined, this.gradW);
    this.gradb.addInPlace(gradOutput.sum([0, 2, 3]));
    // END SOLUTION
  }

  /** Scatters gradOutput back to the input (gradIn) or to the weights (gradW), by loops. */
  private _loops(input: Tensor, gradOutput: Tensor, gradIn?: Tensor, gradW?: Tensor): void {
    const [n, cin, h, w] = input.shape;
    const [cout, k] = [this.outChannels, this.kernelSize];
    const p = (k - 1) / 2;
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < cout; o++) {
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const g = gradOutput.data[((s * cout + o) * h + y) * w + x];
            for (let c = 0; c < cin; c++) {
              for (let i = 0; i < k; i++) {
                for (let j = 0; j < k; j++) {
                  const [yy, xx] = [y + i - p, x + j - p];
                  if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                  const at = ((s * cin + c) * h + yy) * w + xx;
                  const wi = ((o * cin + c) * k + i) * k + j;
                  if (gradIn) gradIn.data[at] += g * this.W.data[wi];
                  if (gradW) gradW.data[((o * cin + c) * k + j) * k + i] += g * input.data[at];
                }
              }
            }
          }
        }
      }
    }
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

/**
 * Moves data between an image `im` `[N, C, H, W]` and its im2col matrix
 * `[C·k·k, N·H·W]` (zero padding p = k//2): entry (row r = `(c·k + i)·k + j`,
 * column `(n·H + y)·W + x`) pairs with `im[n, c, y + i − p, x + j − p]`, or
 * with nothing outside the image. `fold` false is im2col (`cols[…] = im[…]`);
 * `fold` true is col2im, its adjoint (`im[…] += cols[…]`).
 */
function _im2col(im: Float64Array, cols: Float64Array, shape: readonly number[], k: number, fold: boolean) {
  // BEGIN SOLUTION: for each row r = (c, i, j) and image n, loop over the (y, x) that stay inside the image with typed-array loops: copy into cols, or add into im when fold
  const [n, c, h, w] = shape;
  const p = (k - 1) / 2;
  const hw = h * w;
  for (let r = 0; r < c * k * k; r++) {
    const [ci, dy, dx] = [Math.floor(r / (k * k)), (Math.floor(r / k) % k) - p, (r % k) - p];
    const [y0, y1] = [Math.max(0, -dy), Math.min(h, h - dy)];
    const [x0, x1] = [Math.max(0, -dx), Math.min(w, w - dx)];
    for (let ni = 0; ni < n; ni++) {
      const col = (r * n + ni) * hw;
      const img = (ni * c + ci) * hw + dy * w + dx;
      for (let y = y0; y < y1; y++) {
        const [a, b] = [img + y * w, col + y * w];
        if (fold) { for (let x = x0; x < x1; x++) im[a + x] += cols[b + x]; }
        else for (let x = x0; x < x1; x++) cols[b + x] = im[a + x];
      }
    }
  }
  // END SOLUTION
}
