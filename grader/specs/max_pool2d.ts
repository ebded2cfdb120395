/**
 * MaxPool2d: pooling with windows 2 and 3 on square and non-square images
 * (distinct values, so no ties, with central differences), and the routing
 * of the gradient to the first maximum of a window with ties.
 *
 * @module
 */

import { type LayerOptions, layerSpec, type MistakeTable } from "./_layer.ts";
import { tv } from "../judge/signatures.ts";
import type { Judge, TensorValue } from "../spec.ts";

/** Max pooling of `x` `[N, C, H, W]` with k×k windows moved by `sy` rows and `sx` columns (the right strides are k). */
function maxPooled(x: TensorValue, k: number, sy: number, sx: number): TensorValue {
  const [n, c, h, w] = x.shape;
  const [oh, ow] = [Math.floor(h / k), Math.floor(w / k)];
  const data = new Float64Array(n * c * oh * ow).fill(-Infinity);
  for (let s = 0; s < n * c; s++) {
    for (let i = 0; i < oh; i++) {
      for (let q = 0; q < ow; q++) {
        for (let a = 0; a < k; a++) {
          for (let b = 0; b < k; b++) {
            const at = (s * h + i * sy + a) * w + q * sx + b;
            data[(s * oh + i) * ow + q] = Math.max(data[(s * oh + i) * ow + q], x.data[at]);
          }
        }
      }
    }
  }
  return { shape: [n, c, oh, ow], data };
}

/** Average pooling of `x` `[N, C, H, W]` with windows of `k` (the mistaken forward). */
function averagePooled(x: TensorValue, k: number): TensorValue {
  const [n, c, h, w] = x.shape;
  const [oh, ow] = [Math.floor(h / k), Math.floor(w / k)];
  const data = new Float64Array(n * c * oh * ow);
  for (let s = 0; s < n * c; s++) {
    for (let i = 0; i < oh * k; i++) {
      for (let q = 0; q < ow * k; q++) {
        data[(s * oh + Math.floor(i / k)) * ow + Math.floor(q / k)] += x.data[(s * h + i) * w + q] / (k * k);
      }
    }
  }
  return { shape: [n, c, oh, ow], data };
}

type Route = "avg" | "all" | "last" | "window";

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
            else if (how === "window") data[at] += g;
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

/** Whether a case's windows have ties, as a trait for the diagnosis across cases. */
const DISTINCT = { values: "distinct values" };
/** Windows with tied maxima (the hidden part has some too). */
export const TIES = { values: "windows with tied maxima" };

/** The window of probe `p`, from the constructor arguments its plan holds. */
const kernelAt = (j: Judge, p: string) => (j.planSetting(p, "args") as number[])[0];

/** MaxPool2d's output shape: `[N, C, ⌊H/k⌋, ⌊W/k⌋]`. */
export const POOL_OUTPUT: NonNullable<LayerOptions["outputShape"]> = ([n, c, h, w], [k]) => [
  n,
  c,
  Math.floor(h / (k as number)),
  Math.floor(w / (k as number)),
];

/** MaxPool2d's classic mistakes (the hidden part names them too). */
export const POOL_MISTAKES: MistakeTable = {
  output: (p) => [{
    says: "the windows are averaged (average pooling), not maxed",
    hint: "Each output is the maximum of its k×k window",
    value: (j) => averagePooled(tv(j.plan(p, "input")), kernelAt(j, p)),
  }, {
    says: "the windows do not move by k along one axis (an index i where i·k belongs)",
    hint: "Window (oy, ox) covers rows oy·k … oy·k + k − 1 and columns ox·k … ox·k + k − 1",
    value: (j) => {
      const k = kernelAt(j, p);
      return [[k, 1], [1, k], [1, 1]].map(([sy, sx]) => maxPooled(tv(j.plan(p, "input")), k, sy, sx));
    },
  }],
  gradInput: (p) => [{
    says: "the gradient is spread over the whole window (average pooling's backward)",
    hint: "Only the maximum of each window receives the gradient",
    value: (j) => routed(j, p, kernelAt(j, p), "avg"),
  }, {
    says: "every element of the window receives the whole gradient, not only the maximum",
    hint: "Only the (first) maximum of each window receives that window's gradOutput; the others get 0",
    value: (j) => routed(j, p, kernelAt(j, p), "window"),
  }, {
    says: "every tied maximum of a window receives the gradient",
    hint: "SPEC.md: the gradient goes to the first maximum of each window in row-major order, once",
    value: (j) => routed(j, p, kernelAt(j, p), "all"),
  }, {
    says: "the gradient goes to the last maximum of a window instead of the first",
    hint: "Keep the first maximum in row-major order: update the argmax only on a strictly greater value",
    value: (j) => routed(j, p, kernelAt(j, p), "last"),
  }, {
    says:
      "each window's gradient lands on another element than its maximum (the index of the maximum is off: a row or column stride?)",
    hint: "Keep the flat index of each window's first maximum in forward; backward adds gradOutput there",
    value: (j) => {
      // The student's own gradInput, when it holds each window's gradient once, at positions not all maxima.
      const got = tv(j.student(p, "gradInput"));
      const want = tv(j.reference(p, "gradInput"));
      const r = tv(j.plan(p, "gradOutput"));
      const sum = (d: Float64Array) => d.reduce((a, b) => a + b, 0);
      const moved = got.data.some((v, i) => v !== 0 && want.data[i] === 0);
      const scale = r.data.reduce((a, b) => a + Math.abs(b), 0);
      const nonZero = got.data.filter((v) => v !== 0).length;
      return moved && nonZero <= r.data.length && Math.abs(sum(got.data) - sum(r.data)) <= 1e-9 * scale
        ? got
        : undefined;
    },
  }],
};

/** The spec. */
export const spec = layerSpec("max_pool2d", {
  className: "MaxPool2d",
  args: [2],
  fill: (rng, n) => rng.distinct(n),
  outputShape: POOL_OUTPUT,
  cases: [
    { id: "single", label: "a [1, 1, 4, 4] image, window 2", shape: [1, 1, 4, 4], traits: DISTINCT },
    {
      id: "multi",
      label: "a [2, 3, 6, 6] batch, window 2",
      shape: [2, 3, 6, 6],
      gradcheck: true,
      traits: DISTINCT,
    },
    {
      id: "k3",
      label: "a [2, 2, 6, 6] batch, window 3",
      shape: [2, 2, 6, 6],
      args: [3],
      gradcheck: true,
      traits: DISTINCT,
    },
    { id: "rect", label: "a [1, 2, 4, 6] batch, window 2", shape: [1, 2, 4, 6], traits: DISTINCT },
    {
      id: "ties",
      label: "windows with tied maxima",
      shape: [1, 1, 2, 4],
      // Ties survive any increasing affine map: a·x + b with a > 0.
      fill: (rng) => {
        const [a, b] = [rng.uniform(0.5, 2), rng.uniform(-1, 1)];
        return new Float64Array([1, 1, 0, 2, 0, 1, 2, 2].map((x) => a * x + b));
      },
      traits: TIES,
    },
  ],
  mistakes: POOL_MISTAKES,
});
