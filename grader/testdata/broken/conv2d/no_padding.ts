// Broken on purpose (a grader proof): no zero padding (a "valid" convolution): the output shrinks to [N, Cout, H − k + 1, W − k + 1].
// @fails forward.multi, forward.k5
// @diagnosis zero padding is missing
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { fillUniform } from "../../../../lib/random.ts";

/** "Same" cross-correlation, stride 1, zero padding k//2. */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  b: Tensor;
  W: Tensor;
  gradW: Tensor;
  gradb: Tensor;
  private padded?: Tensor;

  constructor(inChannels: number, outChannels: number, kernelSize: number) {
    super();
    if (!Number.isInteger(kernelSize) || kernelSize % 2 !== 1) {
      throw new RangeError(`Conv2d: expected an odd kernelSize, received ${kernelSize}`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    const r = 1 / Math.sqrt(inChannels);
    this.b = new Tensor(fillUniform(new Float64Array(outChannels), -r, r), [outChannels]);
    const k = kernelSize;
    this.W = new Tensor(fillUniform(new Float64Array(outChannels * inChannels * k * k), -r, r), [
      outChannels,
      inChannels,
      k,
      k,
    ]);
    this.gradW = Tensor.zerosLike(this.W);
    this.gradb = Tensor.zerosLike(this.b);
  }

  #pad(input: Tensor): Tensor {
    if (input.shape.length !== 4 || input.shape[1] !== this.inChannels) {
      throw new TypeError(
        `Conv2d: expected input [N, ${this.inChannels}, H, W], received [${input.shape.join(", ")}]`,
      );
    }
    return input.pad([[0, 0], [0, 0], [0, 0], [0, 0]]);
  }

  override updateOutput(input: Tensor): Tensor {
    const [n, cin, ih, iw] = input.shape;
    const k = this.kernelSize;
    const padded = this.padded = this.#pad(input);
    const P = padded.data;
    const [ph, pw] = [ih, iw];
    const [h, w] = [ih - k + 1, iw - k + 1];
    const cout = this.outChannels;
    const y = new Float64Array(n * cout * h * w);
    const Wd = this.W.data;
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < cout; o++) {
        const base = (s * cout + o) * h * w;
        y.fill(this.b.data[o], base, base + h * w);
        for (let c = 0; c < cin; c++) {
          for (let p = 0; p < k; p++) {
            for (let q = 0; q < k; q++) {
              const weight = Wd[((o * cin + c) * k + p) * k + q];
              for (let i = 0; i < h; i++) {
                const row = ((s * cin + c) * ph + i + p) * pw + q;
                for (let j = 0; j < w; j++) y[base + i * w + j] += weight * P[row + j];
              }
            }
          }
        }
      }
    }
    this.output = new Tensor(y, [n, cout, h, w]);
    return this.output;
  }

  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    const [n, cin, h, w] = input.shape;
    const k = this.kernelSize;
    const pw = w + k - 1;
    const ph = h + k - 1;
    const cout = this.outChannels;
    const G = gradOutput.data;
    const Wd = this.W.data;
    const gp = new Float64Array(n * cin * ph * pw);
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < cout; o++) {
        for (let c = 0; c < cin; c++) {
          for (let p = 0; p < k; p++) {
            for (let q = 0; q < k; q++) {
              const weight = Wd[((o * cin + c) * k + p) * k + q];
              for (let i = 0; i < h; i++) {
                const row = ((s * cin + c) * ph + i + p) * pw + q;
                const g = ((s * cout + o) * h + i) * w;
                for (let j = 0; j < w; j++) gp[row + j] += weight * G[g + j];
              }
            }
          }
        }
      }
    }
    const half = k >> 1;
    this.gradInput = new Tensor(gp, [n, cin, ph, pw]).slice([0, n], [0, cin], [half, half + h], [
      half,
      half + w,
    ])
      .clone();
    return this.gradInput;
  }

  override accGradParameters(input: Tensor, gradOutput: Tensor): void {
    const [n, cin, h, w] = input.shape;
    const k = this.kernelSize;
    const padded = this.#pad(input).data;
    const pw = w + k - 1;
    const ph = h + k - 1;
    const cout = this.outChannels;
    const G = gradOutput.data;
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < cout; o++) {
        const g = (s * cout + o) * h * w;
        for (let i = 0; i < h * w; i++) this.gradb.data[o] += G[g + i];
        for (let c = 0; c < cin; c++) {
          for (let p = 0; p < k; p++) {
            for (let q = 0; q < k; q++) {
              let acc = 0;
              for (let i = 0; i < h; i++) {
                const row = ((s * cin + c) * ph + i + p) * pw + q;
                for (let j = 0; j < w; j++) acc += G[g + i * w + j] * padded[row + j];
              }
              this.gradW.data[((o * cin + c) * k + p) * k + q] += acc;
            }
          }
        }
      }
    }
  }

  override getParameters(): Tensor[] {
    return [this.W, this.b];
  }

  override getGradParameters(): Tensor[] {
    return [this.gradW, this.gradb];
  }

  override toString(): string {
    return `Conv2d(${this.inChannels}, ${this.outChannels}, kernel_size=${this.kernelSize})`;
  }
}
