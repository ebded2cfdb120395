/**
 * `PerChannel`: applies a `[N, D]` module to the channels of `[N, C, H, W]`
 * images, so that BatchNormalization (SPEC.md: `[N, D]` only) becomes the
 * per-channel batch norm of CNNs (PyTorch's `BatchNorm2d`): every pixel of
 * every image is a row, every channel a feature.
 *
 * @example
 * ```ts
 * import { Module } from "../lib/module.ts";
 * import { Tensor } from "../lib/tensor.ts";
 * import { PerChannel } from "./per_channel.ts";
 * class AddColumn extends Module {
 *   override updateOutput(x: Tensor) {
 *     return (this.output = x.add(Tensor.from([0, 10])));
 *   }
 * }
 * const out = new PerChannel(new AddColumn()).forward(Tensor.zeros([1, 2, 1, 1]));
 * console.assert(out.get(0, 1, 0, 0) === 10);
 * ```
 *
 * @module
 */

import { Module, type Parameters } from "../lib/module.ts";
import type { Tensor } from "../lib/tensor.ts";

/**
 * Wraps `inner`: `[N, C, H, W] → rows [N·H·W, C] → inner → [N, C, H, W]`, and
 * the same reshaping of gradients in backward. Parameters, gradients and
 * train/evaluate are the inner module's.
 */
export class PerChannel extends Module {
  /** The `[N, D]` module applied per channel. */
  readonly inner: Module;
  /** The rows the inner module saw in the last forward (its input for backward). */
  private _rows?: Tensor;

  /** @param inner a module of `[N, D]` inputs, with D = the channel count. */
  constructor(inner: Module) {
    super();
    this.inner = inner;
  }

  /** `[N, C, H, W] → [N, C, H, W]`, the inner module applied to each pixel's channel vector. */
  override updateOutput(input: Tensor): Tensor {
    if (input.ndim !== 4) {
      throw new TypeError(
        `PerChannel: expected input of shape [N, C, H, W], received [${input.shape.join(", ")}]`,
      );
    }
    const [n, c, h, w] = input.shape;
    this._rows = input.transpose([0, 2, 3, 1]).reshape([n * h * w, c]);
    const out = this.inner.forward(this._rows);
    this.output = out.reshape([n, h, w, c]).transpose([0, 3, 1, 2]);
    return this.output;
  }

  /** Reshapes `gradOutput` to rows, back-propagates through the inner module, reshapes back. */
  override backward(input: Tensor, gradOutput: Tensor): Tensor {
    const [n, c, h, w] = input.shape;
    if (!this._rows) throw new Error("PerChannel: backward called before forward");
    const gradRows = gradOutput.transpose([0, 2, 3, 1]).reshape([n * h * w, c]);
    const gradIn = this.inner.backward(this._rows, gradRows);
    this.gradInput = gradIn.reshape([n, h, w, c]).transpose([0, 3, 1, 2]);
    return this.gradInput;
  }

  /** The same as `backward` (which also accumulates the inner module's gradients). */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    return this.backward(input, gradOutput);
  }

  override zeroGradParameters(): void {
    this.inner.zeroGradParameters();
  }

  override getParameters(): Parameters {
    return this.inner.getParameters();
  }

  override getGradParameters(): Parameters {
    return this.inner.getGradParameters();
  }

  override train(): void {
    super.train();
    this.inner.train();
  }

  override evaluate(): void {
    super.evaluate();
    this.inner.evaluate();
  }

  /** `PerChannel(BatchNormalization)`. */
  override toString(): string {
    return `PerChannel(${this.inner})`;
  }
}
