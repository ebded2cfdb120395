/**
 * Conv2d: "same" cross-correlation with several kernel sizes (1, 3, 5) and
 * channel counts, non-square images, a batch of 1; gradients against the
 * reference and central differences; accumulation.
 *
 * @module
 */

import { type LayerOptions, type LayerParam, layerSpec, type MistakeTable } from "./_layer.ts";
import { conv2d, convGradW, flipKernel, tv } from "../judge/signatures.ts";
import type { Value } from "../spec.ts";

const kOf = (j: { plan(p: string, k: string): Value }, p: string) => tv(j.plan(p, "param.0")).shape[2];

function swapChannels(w: Value) {
  const W = tv(w);
  const [o, c, k] = W.shape;
  const data = new Float64Array(W.data.length);
  for (let a = 0; a < o; a++) {
    for (let b = 0; b < c; b++) {
      for (let i = 0; i < k * k; i++) data[(b * o + a) * k * k + i] = W.data[(a * c + b) * k * k + i];
    }
  }
  return { shape: [c, o, k, k], data };
}

/** The kernel size as a trait of a case, for the diagnosis across cases. */
export const KERNEL: Record<number, { kernel: string }> = {
  1: { kernel: "a 1×1 kernel" },
  3: { kernel: "a 3×3 kernel" },
  5: { kernel: "a 5×5 kernel" },
};

/** Conv2d's parameters: W `[cOut, cIn, k, k]` and b `[cOut]` (arguments cIn, cOut, k). */
export const CONV_PARAMS: readonly LayerParam[] = [
  {
    name: "W",
    grad: "gradW",
    shape: ([cin, cout, k]) => [cout as number, cin as number, k as number, k as number],
  },
  { name: "b", grad: "gradb", shape: ([, cout]) => [cout as number] },
];

/** Conv2d's output shape ("same" padding): `[N, cOut, H, W]`. */
export const CONV_OUTPUT: NonNullable<LayerOptions["outputShape"]> = (
  [n, , h, w],
  [, cout],
) => [n, cout as number, h, w];

/** Conv2d's classic mistakes (the hidden part names them too). */
export const CONV_MISTAKES: MistakeTable = {
  output: (p) => [{
    says: "the kernel is flipped (a convolution, not PyTorch's cross-correlation)",
    hint: "output[n, o, y, x] = b[o] + Σ W[o, c, i, j]·input[n, c, y + i − k//2, x + j − k//2], with no flip",
    value: (j) => {
      const k = kOf(j, p);
      return conv2d(
        j.plan(p, "input"),
        j.plan(p, "param.0"),
        j.plan(p, "param.1"),
        k >> 1,
        true,
      );
    },
  }, {
    says: 'the zero padding is missing (a "valid" convolution)',
    hint: "Pad by k//2 on every side so the output keeps the input's H×W",
    value: (j) => conv2d(j.plan(p, "input"), j.plan(p, "param.0"), j.plan(p, "param.1"), 0),
  }, {
    says: "the padding is not k//2 for this kernel size (fixed at 1, or k − 1?)",
    hint: "Pad by k//2 on every side: 0 for 1×1, 1 for 3×3, 2 for 5×5",
    value: (j) => {
      const k = kOf(j, p);
      return [1, k - 1, k].filter((pad) => pad !== k >> 1).map((pad) =>
        conv2d(j.plan(p, "input"), j.plan(p, "param.0"), j.plan(p, "param.1"), pad)
      );
    },
  }, {
    says: "every window is one pixel off (the padding on one side only, or an index off by one)",
    hint: "output[n, o, y, x] reads input[n, c, y + i − k//2, x + j − k//2] for i, j in 0 … k − 1",
    value: (j) =>
      [1, -1].map((shift) =>
        conv2d(j.plan(p, "input"), j.plan(p, "param.0"), j.plan(p, "param.1"), kOf(j, p) >> 1, false, shift)
      ),
  }, {
    says: "the bias b is missing",
    value: (j) => {
      const b = tv(j.plan(p, "param.1"));
      return conv2d(j.plan(p, "input"), j.plan(p, "param.0"), {
        shape: b.shape,
        data: b.data.map(() => 0),
      }, kOf(j, p) >> 1);
    },
  }],
  gradInput: (p) => [{
    says:
      "the kernel was not flipped in backward (gradInput is a correlation of gradOutput with W, not a convolution)",
    hint: "gradInput[n, c] = Σₒ gradOutput[n, o] convolved with the flipped W[o, c]",
    value: (j) => {
      const w = swapChannels(j.plan(p, "param.0"));
      const zeros = { shape: [w.shape[0]], data: new Float64Array(w.shape[0]) };
      return conv2d(j.plan(p, "gradOutput"), w, zeros, kOf(j, p) >> 1, false);
    },
  }],
  gradW: (p) => [{
    says: "gradW is flipped",
    hint: "gradW[o, c, i, j] = Σ gradOutput[n, o, y, x]·input[n, c, y + i − k//2, x + j − k//2]",
    value: (j) => flipKernel(j.reference(p, "grad.0")),
  }, {
    says: "gradW comes from one sample only (the last or the first): the sum over the batch is missing",
    hint: "gradW += Σₙ (the correlation of gradOutput[n] with input[n]): accumulate over every sample",
    value: (j) => {
      const x = tv(j.plan(p, "input"));
      const n = x.shape[0];
      return n > 1 ? [n - 1, 0].map((s) => convGradW(x, j.plan(p, "gradOutput"), kOf(j, p), [s])) : undefined;
    },
  }],
};

/** The spec. */
export const spec = layerSpec("conv2d", {
  className: "Conv2d",
  args: [2, 3, 3],
  params: CONV_PARAMS,
  outputShape: CONV_OUTPUT,
  cases: [
    {
      id: "single",
      label: "1 → 1 channel, 3×3 kernel, a batch of 1",
      shape: [1, 1, 4, 4],
      args: [1, 1, 3],
      traits: KERNEL[3],
    },
    {
      id: "multi",
      label: "2 → 3 channels, 3×3 kernel",
      shape: [2, 2, 5, 5],
      gradcheck: true,
      traits: KERNEL[3],
    },
    {
      id: "k5",
      label: "3 → 2 channels, 5×5 kernel",
      shape: [2, 3, 6, 6],
      args: [3, 2, 5],
      gradcheck: true,
      traits: KERNEL[5],
    },
    {
      id: "k1",
      label: "2 → 4 channels, 1×1 kernel, a 3×5 image",
      shape: [1, 2, 3, 5],
      args: [2, 4, 1],
      traits: KERNEL[1],
    },
    {
      id: "rect",
      label: "2 → 2 channels, 3×3 kernel, a 4×7 image",
      shape: [3, 2, 4, 7],
      args: [2, 2, 3],
      traits: KERNEL[3],
    },
  ],
  mistakes: CONV_MISTAKES,
});
