/**
 * SoftPlus: forward and backward on several shapes, central differences, and
 * inputs of ±1000 and ±700, where log(1 + eˣ) computed naively overflows.
 *
 * @module
 */

import { layerSpec } from "./_layer.ts";
import { zipMap } from "../judge/signatures.ts";

/** The spec. */
export const spec = layerSpec("softplus", {
  className: "SoftPlus",
  args: [],
  elementwise: true,
  fill: (rng, n) => rng.array(n, -4, 4),
  cases: [
    { id: "batch1", label: "a batch of 1", shape: [1, 6] },
    { id: "rect", label: "a 5×3 batch", shape: [5, 3], gradcheck: true },
    { id: "image", label: "a [2, 2, 3, 3] image batch", shape: [2, 2, 3, 3] },
    {
      id: "extreme",
      label: "inputs of ±1000, ±700, ±40 and 0",
      shape: [2, 4],
      fill: (rng) => rng.rearranged([1000, -1000, 720, -720, 40, -40, 0, 1e-3], 0.98, 1.02),
      traits: { values: "inputs of ±1000" },
    },
  ],
  mistakes: {
    output: (p) => [{
      says: "log(1 + eˣ) was computed directly: eˣ overflows to Infinity for large x",
      hint: "Use log(1 + eˣ) = max(x, 0) + log(1 + e^(−|x|)), which never overflows",
      value: (j) => zipMap([j.plan(p, "input")], (x) => Math.log(1 + Math.exp(x))),
    }, {
      says: "the stable form lost its |x|: max(x, 0) + log(1 + e^(±x)) is only right on one side of 0",
      hint:
        "log(1 + eˣ) = max(x, 0) + log(1 + e^(−|x|)): the absolute value keeps the exponent ≤ 0 on both sides",
      value: (j) => [
        zipMap([j.plan(p, "input")], (x) => Math.max(x, 0) + Math.log1p(Math.exp(-x))),
        zipMap([j.plan(p, "input")], (x) => Math.max(x, 0) + Math.log1p(Math.exp(x))),
        zipMap([j.plan(p, "input")], (x) => x + Math.log1p(Math.exp(-x))),
      ],
    }],
    gradInput: (p) => [{
      says: "the sigmoid was computed as eˣ/(1 + eˣ): it gives NaN for large x",
      hint: "Use 1/(1 + e^(−x)) for x ≥ 0 and eˣ/(1 + eˣ) for x < 0 (or Tensor.sigmoid())",
      value: (j) =>
        zipMap(
          [j.plan(p, "input"), j.plan(p, "gradOutput")],
          (x, r) => r * Math.exp(x) / (1 + Math.exp(x)),
        ),
    }, {
      says: "gradInput ignores gradOutput (it is only the local derivative)",
      value: (j) => zipMap([j.plan(p, "input")], (x) => 1 / (1 + Math.exp(-x))),
    }, {
      says: "the derivative is sigmoid(−x), not sigmoid(x)",
      hint: "d/dx log(1 + eˣ) = eˣ/(1 + eˣ) = 1/(1 + e^(−x)) = sigmoid(x)",
      value: (j) => zipMap([j.plan(p, "input"), j.plan(p, "gradOutput")], (x, r) => r / (1 + Math.exp(x))),
    }],
  },
});
