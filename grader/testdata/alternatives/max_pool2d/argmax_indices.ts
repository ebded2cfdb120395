// A correct alternative (a grader proof): the flat index of each window's first maximum kept in a lazily allocated Int32Array (reused while the size stays the same), windows scanned column by column inside the loop nest but compared in row-major order; backward scatters through the indices. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";

/** Max pooling with stride = kernel. */
export class MaxPool2d extends Module {
  readonly kernelSize: number;
  private argmax: Int32Array | null = null;

  constructor(kernelSize: number) {
    super();
    this.kernelSize = kernelSize;
  }

  override updateOutput(input: Tensor): Tensor {
    const [n, c, h, w] = input.shape;
    const k = this.kernelSize;
    if (h % k !== 0 || w % k !== 0) {
      throw new TypeError(
        `MaxPool2d: expected H and W divisible by ${k}, received [${input.shape.join(", ")}]`,
      );
    }
    const oh = h / k;
    const ow = w / k;
    const size = n * c * oh * ow;
    if (this.argmax === null || this.argmax.length !== size) this.argmax = new Int32Array(size);
    const x = input.data;
    const y = new Float64Array(size);
    let out = 0;
    for (let plane = 0; plane < n * c; plane++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++, out++) {
          let best = (plane * h + i * k) * w + j * k;
          for (let a = 0; a < k; a++) {
            for (let b = 0; b < k; b++) {
              const at = (plane * h + i * k + a) * w + j * k + b;
              if (x[at] > x[best]) best = at;
            }
          }
          this.argmax[out] = best;
          y[out] = x[best];
        }
      }
    }
    this.output = new Tensor(y, [n, c, oh, ow]);
    return this.output;
  }

  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    const g = new Float64Array(input.data.length);
    const idx = this.argmax!;
    for (let o = 0; o < idx.length; o++) g[idx[o]] += gradOutput.data[o];
    this.gradInput = new Tensor(g, input.shape);
    return this.gradInput;
  }
}
