// A correct alternative (a grader proof): the mask drawn with `random() >= p` per element (keep when at least p), stored as a Float64Array of scale factors; eval returns a copy. It must get full marks.
import { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { random } from "../../../../lib/random.ts";

/** Inverted dropout: `p` is the probability to drop. */
export class Dropout extends Module {
  readonly p: number;
  private scale: Float64Array | null = null;

  constructor(p = 0.5) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: expected p in [0, 1), received ${p}`);
    this.p = p;
  }

  override updateOutput(input: Tensor): Tensor {
    const n = input.data.length;
    if (!this.training || this.p === 0) {
      this.scale = null;
      this.output = input.clone();
      return this.output;
    }
    const keep = 1 / (1 - this.p);
    this.scale = new Float64Array(n);
    for (let i = 0; i < n; i++) this.scale[i] = random() >= this.p ? keep : 0;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = input.data[i] * this.scale[i];
    this.output = new Tensor(y, input.shape);
    return this.output;
  }

  override updateGradInput(_input: Tensor, gradOutput: Tensor): Tensor {
    if (this.scale === null) {
      this.gradInput = gradOutput.clone();
    } else {
      const s = this.scale;
      this.gradInput = new Tensor(gradOutput.data.map((g, i) => g * s[i]), gradOutput.shape);
    }
    return this.gradInput;
  }
}
