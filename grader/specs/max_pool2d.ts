/**
 * MaxPool2d: pooling with windows 2 and 3 on square and non-square images
 * (distinct values, so no ties, with central differences), and the routing
 * of the gradient to the first maximum of a window with ties.
 *
 * @module
 */

import { type LayerOptions, layerSpec } from "./_layer.ts";
import { tv } from "../judge/signatures.ts";
import type { Judge } from "../spec.ts";

type Route = "avg" | "all" | "last";

/** gradInput had the student routed the gradient another way. */
function routed(j: Judge, p: string, k: number, how: Route) {
  const x = tv(j.plan(p, "input"));
  const r = tv(j.plan(p, "gradOutput"));
  const [n, c, h, w] = x.shape;
  const oh = h / k;
  const ow = w / k;
  const data = new Float64Array(x.data.length);
  for (let s = 0; s < n * c; s++) {
    for (let i = 0; i < oh; i++) {
      for (let q = 0; q < ow; q++) {
        const g = r.data[(s * oh + i) * ow + q];
        let max = -Infinity;
        for (let a = 0; a < k; a++) {
          for (let b = 0; b < k; b++) max = Math.max(max, x.data[(s * h + i * k + a) * w + q * k + b]);
        }
        let last = -1;
        for (let a = 0; a < k; a++) {
          for (let b = 0; b < k; b++) {
            const at = (s * h + i * k + a) * w + q * k + b;
            if (how === "avg") data[at] += g / (k * k);
            else if (x.data[at] === max) {
              if (how === "all") data[at] += g;
              last = at;
            }
          }
        }
        if (how === "last") data[last] += g;
      }
    }
  }
  return { shape: [...x.shape], data };
}

const kernelOf = (args: readonly unknown[] | undefined) => (args?.[0] as number | undefined) ?? 2;

/** MaxPool2d's output shape: `[N, C, ⌊H/k⌋, ⌊W/k⌋]`. */
export const POOL_OUTPUT: NonNullable<LayerOptions["outputShape"]> = ([n, c, h, w], [k]) => [
  n,
  c,
  Math.floor(h / (k as number)),
  Math.floor(w / (k as number)),
];

/** The spec. */
export const spec = layerSpec("max_pool2d", {
  className: "MaxPool2d",
  args: [2],
  fill: (rng, n) => rng.distinct(n),
  outputShape: POOL_OUTPUT,
  cases: [
    { id: "single", label: "a [1, 1, 4, 4] image, window 2", shape: [1, 1, 4, 4] },
    { id: "multi", label: "a [2, 3, 6, 6] batch, window 2", shape: [2, 3, 6, 6], gradcheck: true },
    { id: "k3", label: "a [2, 2, 6, 6] batch, window 3", shape: [2, 2, 6, 6], args: [3], gradcheck: true },
    { id: "rect", label: "a [1, 2, 4, 6] batch, window 2", shape: [1, 2, 4, 6] },
    {
      id: "ties",
      label: "windows with tied maxima",
      shape: [1, 1, 2, 4],
      // Ties survive any increasing affine map: a·x + b with a > 0.
      fill: (rng) => {
        const [a, b] = [rng.uniform(0.5, 2), rng.uniform(-1, 1)];
        return new Float64Array([1, 1, 0, 2, 0, 1, 2, 2].map((x) => a * x + b));
      },
    },
  ],
  mistakes: {
    gradInput: (p, c) => [{
      says: "the gradient is spread over the whole window (average pooling's backward)",
      hint: "Only the maximum of each window receives the gradient",
      value: (j) => routed(j, p, kernelOf(c.args), "avg"),
    }, {
      says: "every tied maximum of a window receives the gradient",
      hint: "SPEC.md: the gradient goes to the first maximum of each window in row-major order, once",
      value: (j) => routed(j, p, kernelOf(c.args), "all"),
    }, {
      says: "the gradient goes to the last maximum of a window instead of the first",
      hint: "Keep the first maximum in row-major order: update the argmax only on a strictly greater value",
      value: (j) => routed(j, p, kernelOf(c.args), "last"),
    }],
  },
});
